"""The command line: arguments, one progress line per stage, the summary, exit codes.

The only module that prints or exits. Every ``DizgiError`` becomes one clear message and
exit code 2; a traceback means a bug in dizgi, not in the manuscript.
"""

from __future__ import annotations

import argparse
import datetime
import signal
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from types import FrameType
from typing import Any, TextIO

from dizgi import __version__, summary
from dizgi.errors import DizgiError
from dizgi.pipeline import DEFAULT_CACHE_DIR, FORMATS, BuildRequest, StageDone, build

EXIT_OK = 0
EXIT_BAD_INPUT = 2
#: Ctrl-C and ``kill``: the shell's convention, 128 + the signal's number
EXIT_INTERRUPTED = 128 + signal.SIGINT
EXIT_TERMINATED = 128 + signal.SIGTERM

EXAMPLES = """\
examples:
  python build.py                         build manuscript/ into dist/
  python build.py --check                 build, then run EPUBCheck and the PDF read-back
  python build.py --proof                 also write dist/<slug>-proof.png, all pages at a glance
  python build.py --no-cache              build everything anew (the cache is .cache/dizgi)
  python build.py --strict --check        a release build: any warning stops it
  python build.py --manuscript other/ --out /tmp/out --only epub
  python build.py test -x                 run the tests (extra arguments go to pytest)
"""


def parser() -> argparse.ArgumentParser:
    result = argparse.ArgumentParser(
        prog="python build.py",
        description="Build a Dış Bakış issue: manuscript/ -> a print PDF and an EPUB 3 in dist/.",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    result.add_argument(
        "--manuscript",
        type=Path,
        default=Path("manuscript"),
        metavar="DIR",
        help="the folder holding issue.yaml (default: manuscript)",
    )
    result.add_argument(
        "--out",
        type=Path,
        default=Path("dist"),
        metavar="DIR",
        help="where the PDF and EPUB go (default: dist)",
    )
    result.add_argument("--only", choices=FORMATS, help="build only the PDF or only the EPUB")
    result.add_argument(
        "--check",
        action="store_true",
        help="validate what was built (EPUBCheck, PDF fonts and language); exit 2 if it fails",
    )
    result.add_argument(
        "--proof",
        action="store_true",
        help="also write <slug>-proof.png: every page of the PDF side by side, small",
    )
    result.add_argument(
        "--strict",
        action="store_true",
        help="treat every warning (a note never called, a byline without a name) as an error "
        "and publish nothing; for release builds",
    )
    caching = result.add_mutually_exclusive_group()
    caching.add_argument(
        "--cache",
        type=Path,
        default=DEFAULT_CACHE_DIR,
        metavar="DIR",
        help="keep results between builds here, so an unchanged article is not set again "
        "(default: .cache/dizgi in the project)",
    )
    caching.add_argument(
        "--no-cache", action="store_true", help="build everything anew; read and write no cache"
    )
    loudness = result.add_mutually_exclusive_group()
    loudness.add_argument("--quiet", action="store_true", help="print only warnings and errors")
    loudness.add_argument(
        "--json",
        action="store_true",
        help="print only the summary, as JSON (for CI): artifacts, checks, times",
    )
    loudness.add_argument("--verbose", action="store_true", help="print more about each stage")
    result.add_argument(
        "--watch",
        action="store_true",
        help="build, then build again on every save of a manuscript, style, template or font "
        "file (one line per build; Ctrl-C stops)",
    )
    result.add_argument("--version", action="version", version=f"dizgi {__version__}")
    return result


def import_parser() -> argparse.ArgumentParser:
    result = argparse.ArgumentParser(
        prog="python build.py import",
        description="Import an author's Word (.docx) or OpenDocument (.odt) file as an article: "
        "articles/NN-slug.md, its pictures in images/, its line in issue.yaml.",
    )
    result.add_argument("files", nargs="+", type=Path, metavar="FILE", help="a .docx or .odt file")
    result.add_argument(
        "--manuscript", type=Path, default=Path("manuscript"), metavar="DIR",
        help="the folder holding issue.yaml (default: manuscript)",
    )  # fmt: skip
    result.add_argument("--force", action="store_true", help="write over an article or picture that exists")
    changes = result.add_mutually_exclusive_group()
    changes.add_argument(
        "--accept-changes", action="store_const", const="accept", dest="changes",
        help="accept the file's tracked changes (its comments are left out)",
    )  # fmt: skip
    changes.add_argument(
        "--reject-changes", action="store_const", const="reject", dest="changes",
        help="reject the file's tracked changes (its comments are left out)",
    )  # fmt: skip
    return result


def import_main(argv: list[str], out: TextIO, err: TextIO) -> int:
    """``python build.py import FILE…``: each file an article, with a report of what was
    found, what is left to fill in and what did not carry over."""
    from dizgi import importer

    arguments = import_parser().parse_args(argv)
    for source in arguments.files:
        try:
            made = importer.import_file(
                source, arguments.manuscript, changes=arguments.changes, force=arguments.force
            )
        except DizgiError as error:
            print(f"dizgi: error: {error}", file=err)
            return error.exit_code
        print(
            f"{made.source} → {made.article}: {made.notes} note{'s' if made.notes != 1 else ''}, "
            f"{made.tables} table{'s' if made.tables != 1 else ''}, "
            f"{len(made.pictures)} picture{'s' if len(made.pictures) != 1 else ''}; "
            f"front matter: {', '.join(made.found) or 'nothing'}",
            file=out,
        )
        for field in made.to_fill:
            print(f"  to fill in: '{field}' was not found in the file (written as DOLDURUN)", file=out)
        if made.comments_left_out:
            plural = "s" if made.comments_left_out != 1 else ""
            print(
                f"  left out: {made.comments_left_out} comment{plural} (comments never reach the article)",
                file=out,
            )
        for loss in made.losses:
            print(f"  did not carry over: {loss}", file=out)
    return EXIT_OK


def proof_text_main(argv: list[str], out: TextIO, err: TextIO) -> int:
    """``python build.py proof-text``: the Turkish proofing of ``--check`` alone, without a
    build: each finding with its file, line, word and suggestion (exit 0; 2 on bad input)."""
    from dizgi import manuscript, proofing

    parser = argparse.ArgumentParser(
        prog="python build.py proof-text",
        description="Proofread the issue's Turkish: spelling (hunspell-tr) and TDK's rules (Y1-Y6).",
    )
    parser.add_argument(
        "--manuscript", type=Path, default=Path("manuscript"), metavar="DIR",
        help="the folder holding issue.yaml (default: manuscript)",
    )  # fmt: skip
    arguments = parser.parse_args(argv)
    try:
        issue = manuscript.load_issue(arguments.manuscript)
        found = proofing.proofread_issue(issue, BuildRequest(arguments.manuscript, Path("dist")).styles_dir)
    except DizgiError as error:
        print(f"dizgi: error: {error}", file=err)
        return error.exit_code
    for finding in found:
        print(finding, file=out)
    print(proofing.summary(found), file=out)
    return EXIT_OK


def main(argv: list[str] | None = None, stdout: TextIO | None = None, stderr: TextIO | None = None) -> int:
    out = stdout or sys.stdout
    err = stderr or sys.stderr
    if argv and argv[:1] == ["import"]:
        return import_main(argv[1:], out, err)
    if argv and argv[:1] == ["proof-text"]:
        return proof_text_main(argv[1:], out, err)
    arguments = parser().parse_args(argv)
    request = BuildRequest(
        manuscript_dir=arguments.manuscript,
        out_dir=arguments.out,
        formats=(arguments.only,) if arguments.only else FORMATS,
        check=arguments.check,
        proof=arguments.proof,
        cache_dir=None if arguments.no_cache else arguments.cache,
        strict=arguments.strict,
    )

    if arguments.watch:
        return _watch(request, arguments.manuscript, out, err)
    stops = _Stops()

    quiet = arguments.quiet or arguments.json

    def progress(stage: StageDone) -> None:
        stops.check()
        if not quiet:
            print(f"  {stage.name:<8} {stage.seconds:6.2f} s  {stage.detail}", file=out, flush=True)

    if not quiet:
        print(f"dizgi {__version__}: building {arguments.manuscript}", file=out, flush=True)
    try:
        with stops:
            report = build(request, progress)
    except DizgiError as error:
        print(f"dizgi: error: {error}", file=err)
        return error.exit_code
    except KeyboardInterrupt:
        print("dizgi: stopped; the previous outputs were left as they were", file=err)
        return EXIT_INTERRUPTED
    except _Terminated:
        print("dizgi: stopped (terminated); the previous outputs were left as they were", file=err)
        return EXIT_TERMINATED
    except OSError as error:  # the file system refused: full, read-only, a name too long
        where = f"{error.filename}: " if error.filename else ""
        print(
            f"dizgi: error: {where}{error.strerror or error}\n"
            "  what to do: check that the disk has room and that you may write there; "
            "the previous outputs were left as they were",
            file=err,
        )
        return EXIT_BAD_INPUT
    for warning in report.warnings:
        print(f"dizgi: warning: {warning}", file=err)
    if not arguments.json:
        for finding in report.proofing:
            print(f"dizgi: proof: {finding}", file=err)
    if arguments.verbose:
        print("Turkish typography, change by change:", file=out)
        for change in sorted(report.changes, key=lambda item: (str(item.source), item.change.line or 0)):
            print(f"  {change}", file=out)
    seconds = {stage.name: stage.seconds for stage in report.stages}
    table = summary.rows(report.files, arguments.out, seconds, report.notes)
    if arguments.json:
        print(
            summary.as_json(table, arguments.out, report.seconds, report.warnings, report.proofing), file=out
        )
    elif not arguments.quiet:
        print(summary.as_text(table, report.seconds, terminal=out.isatty()), file=out, end="")
    return EXIT_OK


def _watch(request: BuildRequest, manuscript: Path, out: TextIO, err: TextIO) -> int:
    """``--watch``: a build now, then one on every save of a file the build reads (the
    manuscript folder without the outputs and the cache, and the styles), with the cache,
    so an unchanged article is not set again. A failed build prints its error and the last
    good outputs stay; Ctrl-C ends it (exit 0)."""
    from dizgi import watching

    def once(cause: str) -> None:
        started = datetime.datetime.now().strftime("%H:%M:%S")
        try:
            report = build(request)
        except (DizgiError, OSError) as error:  # OSError: the file system refused (full, read-only)
            print(
                f"{started} {cause}: error: {error}\n  the last good outputs stay; watching",
                file=err,
                flush=True,
            )
            return
        for warning in report.warnings:
            print(f"dizgi: warning: {warning}", file=err)
        made = sum(1 for built in report.files if built.kind != "sums")
        print(
            f"{started} {cause}: built in {report.seconds:.1f} s, {made} files in {request.out_dir}",
            file=out,
            flush=True,
        )

    try:
        for changed in watching.saves(request):
            if not changed:  # the watch has begun: from now on no save is missed
                print(
                    f"dizgi {__version__}: watching {manuscript} and the styles (Ctrl-C stops)",
                    file=out,
                    flush=True,
                )
            once(", ".join(sorted(str(path) for path in changed)) if changed else "start")
    except KeyboardInterrupt:
        pass
    print("dizgi: stopped watching", file=out)
    return EXIT_OK


class _Terminated(BaseException):
    """SIGTERM (``kill``, a CI time-out), raised where the build is, like Ctrl-C's
    ``KeyboardInterrupt``: so the scratch files are removed and the workers stopped."""


class _Stops:
    """While the build runs, Ctrl-C raises ``KeyboardInterrupt`` and SIGTERM ``_Terminated``,
    and each is remembered: Python drops an exception raised while a finaliser runs
    ("Exception ignored in …"), and the build would then go on and publish, so ``check``
    raises it again at the next stage's end. The handlers before are restored after; a
    SIGINT ignored (a build started in the background) stays ignored; and only the main
    thread may set handlers (elsewhere both signals keep what they had)."""

    def __init__(self) -> None:
        self.received: BaseException | None = None
        self._previous: dict[int, Any] = {}

    def __enter__(self) -> _Stops:
        if threading.current_thread() is threading.main_thread():
            for number, stop in ((signal.SIGINT, KeyboardInterrupt), (signal.SIGTERM, _Terminated)):
                if signal.getsignal(number) is not signal.SIG_IGN:
                    self._previous[number] = signal.signal(number, self._raiser(stop))
        return self

    def __exit__(self, *exc_info: object) -> None:
        for number, handler in self._previous.items():
            signal.signal(number, handler)

    def _raiser(self, stop: type[BaseException]) -> Callable[[int, FrameType | None], None]:
        def handler(number: int, frame: FrameType | None) -> None:
            self.received = stop()
            raise self.received

        return handler

    def check(self) -> None:
        """Raise again a stop whose exception was dropped on the way."""
        if self.received is not None:
            raise self.received


if __name__ == "__main__":
    sys.exit(main())
