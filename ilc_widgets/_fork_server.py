"""Kernels forked from a warm parent: the room's ten kernels without ten Python start-ups.

Every Voilà page has its own kernel, and a kit kernel used to spend most of its CPU and
memory starting Python and importing ipykernel, ipywidgets, SQLAlchemy, pandas and numpy,
ten times over when a room opens its links at once. Under ``ilc serve`` Voilà launches
kernels through :class:`ForkProvisioner` instead: one *fork server* process, started with
the server, has imported those once; each kernel is a ``fork()`` of it that sets its own
environment, working folder and session, and runs ``ipykernel`` as ``python -m
ipykernel_launcher`` would. The imported code is shared between the kernels (copy-on-write)
instead of loaded into each.

A kernel is forked only when its command is this interpreter's ``-m ipykernel_launcher``
and the variables that shape a Python start-up (``PYTHON*``, ``LD_*``) are the fork
server's; otherwise, or when the fork server cannot answer, the kernel starts as Jupyter
starts it (:class:`~jupyter_client.provisioning.LocalProvisioner`), with a warning in the log.

The fork server runs as ``python -m ilc_widgets._fork_server FD``; FD is its end of a socket
pair with the Voilà process, one JSON request per line (``{"argv", "env", "cwd"}``), one
JSON reply per line (``{"pid"}`` or ``{"error"}``). It ends when that socket closes.
"""

from __future__ import annotations

import asyncio
import gc
import json
import os
import select
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from jupyter_client.provisioning.local_provisioner import LocalProvisioner

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from jupyter_client.connect import KernelConnectionInfo

NAME = "ilc-fork"
"""The provisioner's name (an entry point of ``jupyter_client.kernel_provisioners``)."""
PRELOAD = (
    "ipykernel.kernelapp",
    "ipykernel.ipkernel",
    "ipykernel.comm",
    "ipywidgets",
    "comm",
    "sqlalchemy",
    "sqlalchemy.orm",
    "sqlalchemy.dialects.sqlite",
    "sqlalchemy.dialects.postgresql",
    "pandas",
    "numpy",
    "ilc_widgets.workbook",
)
"""Modules every kit kernel imports, imported once by the fork server (with, after
``ilc_widgets.workbook``, the modules of every workbook section it registers)."""
START_TIMEOUT = 120.0
"""Seconds the Voilà process waits for the fork server to finish its imports."""
REPLY_TIMEOUT = 30.0
"""Seconds it waits for the pid of a forked kernel."""
_STARTUP_VARS = ("PYTHON", "LD_")


def startup_environment(env: Mapping[str, str]) -> dict[str, str]:
    """The variables of ``env`` that shape how Python starts (a forked kernel must share them)."""
    return {k: v for k, v in env.items() if k.startswith(_STARTUP_VARS)}


def forkable(cmd: Sequence[str], env: Mapping[str, str], executable: str = sys.executable) -> bool:
    """True when ``cmd`` with ``env`` starts the kernel a fork of the fork server would be."""
    if len(cmd) < 3 or list(cmd[1:3]) != ["-m", "ipykernel_launcher"]:
        return False
    if os.path.realpath(cmd[0]) != os.path.realpath(executable):
        return False
    return startup_environment(env) == startup_environment(os.environ)


class ForkError(RuntimeError):
    """The fork server could not start a kernel (the caller starts it the usual way)."""


class ForkServer:
    """The Voilà process's handle on its fork server (started on first use)."""

    _shared: ForkServer | None = None
    _shared_lock = threading.Lock()

    def __init__(self, preload: Sequence[str] = PRELOAD) -> None:
        self.preload = tuple(preload)
        self._lock = threading.Lock()
        self._proc: subprocess.Popen[bytes] | None = None
        self._sock: socket.socket | None = None
        self._reader: Any = None
        self.broken: str | None = None

    @classmethod
    def shared(cls) -> ForkServer:
        """The process's one fork server."""
        with cls._shared_lock:
            if cls._shared is None:
                cls._shared = cls()
            return cls._shared

    @property
    def pid(self) -> int | None:
        """The fork server's process id (None before it starts)."""
        return self._proc.pid if self._proc else None

    def _start(self) -> None:
        ours, theirs = socket.socketpair()
        env = dict(os.environ)
        self._proc = subprocess.Popen(
            [sys.executable, "-m", __name__, str(theirs.fileno()), *self.preload],
            pass_fds=(theirs.fileno(),),
            stdin=subprocess.DEVNULL,
            env=env,
        )
        theirs.close()
        ours.settimeout(START_TIMEOUT)
        self._sock = ours
        self._reader = ours.makefile("rb")
        hello = self._read()
        if "ready" not in hello:
            raise ForkError(str(hello.get("error", "the fork server did not start")))
        ours.settimeout(REPLY_TIMEOUT)

    def _read(self) -> dict[str, Any]:
        line = self._reader.readline()
        if not line:
            raise ForkError("the fork server stopped")
        reply: dict[str, Any] = json.loads(line)
        return reply

    def spawn(self, argv: Sequence[str], env: Mapping[str, str], cwd: str) -> int:
        """Fork a kernel running ``ipykernel_launcher argv`` in ``cwd`` with ``env``; its pid.

        Blocking (run it in a thread); raises :class:`ForkError` when the fork server cannot.
        """
        with self._lock:
            if self.broken:
                raise ForkError(self.broken)
            try:
                if self._sock is None:
                    self._start()
                assert self._sock is not None
                request = {"argv": list(argv), "env": dict(env), "cwd": cwd}
                self._sock.sendall(json.dumps(request).encode() + b"\n")
                reply = self._read()
            except (OSError, ValueError, ForkError) as exc:
                self.broken = f"{type(exc).__name__}: {exc}"
                self.close()
                raise ForkError(self.broken) from None
            if "pid" not in reply:
                raise ForkError(str(reply.get("error", "no pid")))
            return int(reply["pid"])

    def close(self) -> None:
        """End the fork server (kernels it forked go on until they are shut down)."""
        if self._sock is not None:
            self._sock.close()
            self._sock = None
        if self._proc is not None:
            try:
                self._proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self._proc.kill()
            self._proc = None


class ForkedProcess:
    """A forked kernel, with the parts of :class:`subprocess.Popen` Jupyter uses.

    It is the fork server's child, not this process's: its end is watched through a pidfd
    (the fork server reaps it), and its exit status is not known (0, or -9 once killed).
    """

    stdin = stdout = stderr = None

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.returncode: int | None = None
        self._killed = False
        try:
            self._fd: int | None = os.pidfd_open(pid)
        except (AttributeError, OSError):
            self._fd = None

    def _gone(self, timeout: float | None) -> bool:
        """Wait up to ``timeout`` seconds (None: for ever) for the kernel's end; True once ended."""
        if self._fd is not None:
            ready, _, _ = select.select([self._fd], [], [], timeout)
            return bool(ready)
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:  # no pidfd (Linux before 5.3): look every 0.1 s
            try:
                os.kill(self.pid, 0)
            except ProcessLookupError:
                return True
            except PermissionError:
                pass
            left = 0.1 if deadline is None else min(0.1, deadline - time.monotonic())
            if left <= 0:
                return False
            time.sleep(left)

    def _finish(self) -> int:
        self.returncode = -signal.SIGKILL if self._killed else 0
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None
        return self.returncode

    def poll(self) -> int | None:
        """None while the kernel runs, else its (assumed) exit status."""
        if self.returncode is None and self._gone(0):
            self._finish()
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        """Wait until the kernel has ended; its (assumed) exit status."""
        if self.returncode is not None:
            return self.returncode
        if not self._gone(timeout):
            raise subprocess.TimeoutExpired(str(self.pid), timeout or 0)
        return self._finish()

    def send_signal(self, signum: int) -> None:
        """Send ``signum`` to the kernel (nothing once it has ended)."""
        if self.poll() is None:
            if signum == signal.SIGKILL:
                self._killed = True
            os.kill(self.pid, signum)

    def kill(self) -> None:
        """Kill the kernel."""
        self.send_signal(signal.SIGKILL)

    def terminate(self) -> None:
        """Ask the kernel to end."""
        self.send_signal(signal.SIGTERM)


class ForkProvisioner(LocalProvisioner):
    """Jupyter's local provisioner, forking ``ipykernel`` kernels from the fork server."""

    async def launch_kernel(self, cmd: list[str], **kwargs: Any) -> KernelConnectionInfo:
        """Fork the kernel when :func:`forkable`, else launch it as Jupyter does."""
        env = dict(kwargs.get("env") or os.environ)
        cwd = str(kwargs.get("cwd") or Path.cwd())
        if forkable(cmd, env):
            server = ForkServer.shared()
            try:
                pid = await asyncio.to_thread(server.spawn, cmd[3:], env, cwd)
            except ForkError as exc:
                self.log.warning("Starting the kernel without the fork server (%s)", exc)
            else:
                self.process = ForkedProcess(pid)  # type: ignore[assignment]
                self.pid = self.pgid = pid
                self.cwd = cwd
                return self.connection_info
        return await super().launch_kernel(cmd, **kwargs)


# --- the fork server's side -------------------------------------------------------------


def _kernel_started() -> None:
    """Do what preloaded modules do on import when a kernel runs (they had none then)."""
    widgets = sys.modules.get("ipywidgets")
    if widgets is not None:  # the comm targets of widget pages (all widgets' state at once)
        widgets._handle_ipython()


def _run_kernel(argv: Sequence[str], env: Mapping[str, str], cwd: str) -> None:
    """In the forked child: become the kernel ``python -m ipykernel_launcher argv`` is."""
    import atexit

    os.environ.clear()
    os.environ.update(env)
    parent = str(os.getppid())  # the fork server: the kernel ends if it does
    os.environ["JPY_PARENT_PID"] = parent
    os.chdir(cwd)
    null = os.open(os.devnull, os.O_RDONLY)
    os.dup2(null, 0)
    os.close(null)
    # IPKernelApp read JPY_PARENT_PID when the fork server imported it: say it again
    sys.argv = [sys.argv[0], *argv, f"--IPKernelApp.parent_handle={parent}"]
    gc.enable()
    from ipykernel import kernelapp

    code = 0
    try:
        app = kernelapp.IPKernelApp.instance()
        app.initialize()  # type: ignore[no-untyped-call]
        _kernel_started()
        app.start()  # type: ignore[no-untyped-call]
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 1
    except BaseException:
        import traceback

        traceback.print_exc()
        code = 1
    try:  # as Python's own exit: wait for the kernel's other threads, then the exit hooks
        threading._shutdown()  # type: ignore[attr-defined]
        atexit._run_exitfuncs()
        sys.stdout.flush()
        sys.stderr.flush()
    finally:
        os._exit(code)


def _fork(request: Mapping[str, Any], control: socket.socket) -> int:
    """Fork a kernel for ``request``; its pid once it has its own session."""
    started_r, started_w = os.pipe()
    pid = os.fork()
    if pid == 0:  # the kernel
        try:
            os.close(control.detach())  # the kernel keeps no end of the fork server's socket
            os.close(started_r)
            os.setsid()
            signal.signal(signal.SIGCHLD, signal.SIG_DFL)
            signal.signal(signal.SIGINT, signal.default_int_handler)
            os.write(started_w, b"1")
            os.close(started_w)
            _run_kernel(request["argv"], request["env"], request["cwd"])
        finally:
            os._exit(1)
    os.close(started_w)
    os.read(started_r, 1)  # setsid done: the kernel's process group is its own
    os.close(started_r)
    return pid


def _reap(_signum: int, _frame: object) -> None:
    """Collect every ended kernel (their CPU time then counts as the fork server's children's)."""
    while True:
        try:
            pid, _status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return


def serve(fd: int, preload: Sequence[str]) -> None:
    """The fork server: import ``preload``, then fork a kernel for each request on ``fd``."""
    import importlib

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the Voilà process ends it by closing fd
    signal.signal(signal.SIGCHLD, _reap)  # kernels are reaped as they end
    control = socket.socket(fileno=fd)
    if sys.path and Path(sys.path[0] or ".").resolve() == Path.cwd().resolve():
        del sys.path[0]  # as ipykernel_launcher: the workbooks' folder is no package folder
    gc.disable()
    try:
        for name in preload:
            importlib.import_module(name)
        workbook = sys.modules.get("ilc_widgets.workbook")
        for section in getattr(workbook, "SECTIONS", {}).values():  # every workbook's sections
            importlib.import_module(section.target.partition(":")[0])
    except Exception as exc:  # reported to the Voilà process, which starts kernels itself
        control.sendall(json.dumps({"error": f"import: {type(exc).__name__}"}).encode() + b"\n")
        return
    gc.collect()
    gc.freeze()  # the kernels' collections leave the shared objects' pages alone
    control.sendall(b'{"ready": true}\n')
    reader = control.makefile("rb")
    for line in reader:
        try:
            request = json.loads(line)
            reply: dict[str, Any] = {"pid": _fork(request, control)}
        except (OSError, ValueError, KeyError, TypeError) as exc:
            reply = {"error": f"{type(exc).__name__}: {exc}"}
        control.sendall(json.dumps(reply).encode() + b"\n")


if __name__ == "__main__":  # pragma: no cover - started by ForkServer
    serve(int(sys.argv[1]), sys.argv[2:])
