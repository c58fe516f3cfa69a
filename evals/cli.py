"""`qiao eval ...`: quality measurements that print figures and write reports under evals/out/."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer

from settings import Settings

if TYPE_CHECKING:
    from intents.parser import Parser

OUT_DIR = Path("evals/out")
SHARED_BENCHMARKS = Path(__file__).resolve().parents[2] / "shared" / "benchmarks"

eval_app = typer.Typer(help="Measure quality (accuracy, F1, recall@k, ARI). 质量评测。", no_args_is_help=True)


def _parser(cache_dir: Path | None) -> Parser:
    from intents.ner_en import SpacyPeople
    from intents.parser import Parser
    from intents.training import load_or_train
    from retrieval.embedder import UseEmbedder

    settings = Settings()
    intents, kinds = load_or_train(UseEmbedder(), cache_dir or settings.resolved_model_cache_dir)
    return Parser(intents, kinds, english_people=SpacyPeople())


INTENT_SPLITS = {
    "test": "held-out test set",
    "dev": "dev set",
    "dev2": "second dev set",
    "dev3": "third dev set",
    "dev4": "fourth dev set",
    "dev5": "fifth dev set",
}


@eval_app.command("intents")
def intents_command(
    split: str = typer.Option(
        "test",
        help="'test' (for reporting), 'dev' or 'dev2' to 'dev5' (for tuning). test 用于报告，dev 至 dev5 用于调参。",
    ),
    out: Path = typer.Option(OUT_DIR, help="Where to write JSON, Markdown and the confusion matrix."),
    cache_dir: Path | None = typer.Option(None, help="Model cache (default QIAO_MODEL_CACHE_DIR)."),
) -> None:
    """Intent and slot quality on the held-out test set, or a dev set. 意图与槽位评测（测试集或开发集）。"""
    from evals import intents

    if split not in INTENT_SPLITS:
        raise typer.BadParameter(
            "use 'test', 'dev', 'dev2', 'dev3', 'dev4' or 'dev5' / 只能是 test、dev、dev2、dev3、dev4 或 dev5",
            param_hint="--split",
        )
    name = "intents" if split == "test" else f"intents_{split}"
    title = f"Qiao intents — {INTENT_SPLITS[split]}"
    report = intents.evaluate(_parser(cache_dir), intents.load_test(intents.TEST_FILE.with_name(f"{split}.jsonl")))
    intents.write(report, out, name, title)
    typer.echo(intents.markdown(report, title))
    typer.echo(f"written to {out}/{name}.json, {name}.md, {name}-confusion.png")


@eval_app.command("benchmarks")
def benchmarks_command(
    shared: Path = typer.Option(SHARED_BENCHMARKS, help="The shared benchmarks folder."),
    out: Path = typer.Option(OUT_DIR, help="Where to write JSON and Markdown."),
    cache_dir: Path | None = typer.Option(None, help="Model cache (default QIAO_MODEL_CACHE_DIR)."),
) -> None:
    """CLINC150 out-of-scope rejection and xSID zh/en reminders. 公开基准评测。"""
    import json

    from evals import benchmarks

    parser = _parser(cache_dir)
    clinc = benchmarks.clinc(parser, shared / "clinc150" / "data_full.json")
    xsid = [benchmarks.xsid(parser, shared / "xsid" / f"{lang}.test.jsonl", lang) for lang in ("zh", "en")]
    out.mkdir(parents=True, exist_ok=True)
    text = benchmarks.markdown(clinc, xsid)
    (out / "benchmarks.md").write_text(text, encoding="utf-8")
    data = benchmarks.as_json(clinc, xsid)
    (out / "benchmarks.json").write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    typer.echo(text)


@eval_app.command("retrieval")
def retrieval_command(
    split: str = typer.Option("test", help="Question files to use: 'dev' (for tuning) or 'test' (for reporting)."),
    shared: Path = typer.Option(SHARED_BENCHMARKS, help="The shared benchmarks folder (Kanboard docs)."),
    out: Path = typer.Option(OUT_DIR, help="Where to write retrieval_<split>.json and .md."),
) -> None:
    """Recall@1/5 and MRR of dense, BM25 and hybrid search; the "I don't know" threshold.
    检索评测：三种检索方式的召回率与 MRR，以及拒答阈值。

    Example / 示例: qiao eval retrieval --split dev
    """
    from evals import retrieval

    if split not in ("dev", "test"):
        raise typer.BadParameter("use 'dev' or 'test' / 只能是 dev 或 test", param_hint="--split")
    results = retrieval.run("dev" if split == "dev" else "test", shared)
    command = f"qiao eval retrieval --split {split}"
    json_path, md_path = retrieval.write(results, split, command, out)
    typer.echo(retrieval.markdown(results, split, command))
    typer.echo(f"written to {json_path} and {md_path}")


@eval_app.command("speech")
def speech_command(
    split: str = typer.Option(
        "test",
        help="'dev': our sentences spoken by espeak-ng (tune decoding here); 'test': the shared recorded clips "
        "(report only). dev：espeak-ng 合成的开发集（用于调参）；test：共享真人录音（只用于报告）。",
    ),
    shared: Path = typer.Option(
        SHARED_BENCHMARKS, help="The shared benchmarks folder (its speech/ clips). 公开基准目录。"
    ),
    model_dir: Path | None = typer.Option(
        None,
        help="A CTranslate2 Whisper folder (default QIAO_WHISPER_MODEL_DIR, else the bundled base model). "
        "Whisper 模型目录。",
    ),
    threads: int | None = typer.Option(None, help="CPU threads (default QIAO_WHISPER_THREADS, 2). 线程数。"),
    manifest: Path | None = typer.Option(
        None,
        help="A folder of your own recordings with a manifest.jsonl (a line per clip: path, lang zh|en, text): "
        "measures them instead of --split, written as speech_manifest.*. 自有录音目录（含 manifest.jsonl，"
        "每行 path、lang、text），代替 --split 评测。",
    ),
    out: Path = typer.Option(OUT_DIR, help="Where to write speech.json and .md (speech_dev.* for dev). 输出目录。"),
) -> None:
    """CER (Mandarin, simplified, numerals as read, no punctuation) and WER (English) of speech-to-text.
    语音识别评测：中文字错率（转简体、数字按读音、去标点）与英文词错率。

    --manifest measures your users' own recordings, e.g. before choosing a larger model for Chinese.
    --manifest 可评测自有录音，例如在为中文换更大模型之前。

    Decoding options come from QIAO_WHISPER_* settings; compare them on --split dev only.
    解码参数来自 QIAO_WHISPER_* 配置，只在开发集上比较。

    Example / 示例: QIAO_WHISPER_BEAM_SIZE=8 qiao eval speech --split dev
    """
    from api.wiring import build_transcriber, whisper_decoding
    from assistant.whisper_model import resolve_model_dir
    from evals import speech, speech_dev

    if split not in ("dev", "test"):
        raise typer.BadParameter("use 'dev' or 'test' / 只能是 dev 或 test", param_hint="--split")
    own: list[speech.Clip] = []
    if manifest is not None:
        try:
            own, split = speech.load_manifest(manifest), "manifest"
        except speech.ManifestError as exc:
            raise typer.BadParameter(str(exc), param_hint="--manifest") from exc
    settings = Settings()
    update: dict[str, object] = {}
    if model_dir is not None:
        update["whisper_model_dir"] = model_dir
    if threads is not None:
        update["whisper_threads"] = threads
    settings = settings.model_copy(update=update)
    folder = resolve_model_dir(settings.whisper_model_dir, settings.resolved_model_cache_dir)
    if manifest is not None:
        clips, clip_folder = own, manifest
    elif split == "dev":
        clips, clip_folder = speech_dev.synthesise(settings.data_dir / "cache")
    else:
        clips, clip_folder = speech.load_manifest(shared / "speech"), shared / "speech"
    command = "qiao eval speech " + (f"--manifest {manifest}" if manifest else f"--split {split}")
    command += f" --model-dir {model_dir}" if model_dir else ""
    try:
        report = speech.evaluate(
            build_transcriber(settings),
            clips,
            clip_folder,
            model=folder.name,
            decoding=whisper_decoding(settings).describe(),
            split=split,
        )
    except speech.ManifestError as exc:
        raise typer.BadParameter(str(exc), param_hint="--manifest") from exc
    json_path, md_path = speech.write(report, command, out)
    typer.echo(speech.markdown(report, command))
    typer.echo(f"written to {json_path} and {md_path}")


@eval_app.command("themes")
def themes_command(
    shared: Path = typer.Option(
        SHARED_BENCHMARKS, help="The shared benchmarks folder (its banking77/). 公开基准目录。"
    ),
    out: Path = typer.Option(OUT_DIR, help="Where to write themes.json and themes.md. 输出目录。"),
) -> None:
    """Theme discovery on BANKING77: ARI, NMI, themes found, unthemed share and seconds, for 3 seeds.
    主题发现评测（BANKING77）：ARI、NMI、主题数、未归类比例与耗时（3 个随机种子）。

    Example / 示例: qiao eval themes (BERTopic beside it: python -m bench.themes)
    """
    from evals import themes
    from retrieval.embedder import UseEmbedder

    runs, _ = themes.evaluate(UseEmbedder(threads=Settings().embed_threads), shared)
    command = "qiao eval themes"
    json_path, md_path = themes.write(runs, command, out)
    typer.echo(themes.markdown(runs, command))
    typer.echo(f"written to {json_path} and {md_path}")
