"""The widgets kit: the shared parts every section is built from.

One module per concern, none of them touching SQL or importing a section's view module:

* :mod:`.loop`: the kernel's event loop (:func:`~.loop.running_loop`) and the shutdown
  grace that lets the last keystrokes arrive before a kernel stops;
* :mod:`.styles`: the kit's stylesheets, each sent once per page, and shared Layout and
  Style models;
* :mod:`.controls`: labelled fields whose label is the field's own accessible name;
* :mod:`.notice`: the message line and the one error guard every button handler uses;
* :mod:`.page`: one page per session, and one revision poller per page;
* :mod:`.autosave`: saving as people type (debounce, version check, merge and retry on a
  conflict, flush on exit);
* :mod:`.jobs`: background work with progress, off the kernel's thread;
* :mod:`.section`: the template-method base of sections that build their heavy part once
  the page shows them.

Only this package touches asyncio and threads; a section says what to do, the kit says
when.
"""

from __future__ import annotations
