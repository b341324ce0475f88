"""Command line: render scenes to files without the app.

    python -m scenes list
    python -m scenes render PRESET|FILE|URL --format gif|mp4|html|png|svg|csv|json --out PATH
                            [--size 600] [--frames 150] [--fps 25] [--step K]

A FILE is a scene file (the presets' format); a URL is a link copied from the app. Bad input
(an unknown preset, an unreadable file, a value the scene had to drop) stops with a one-line
message on stderr and exit status 2.
"""

from __future__ import annotations

import argparse
import pathlib
import sys

import lll_i18n as i18n
import scenes
from scenes import export, presets
from scenes.url import link_query


class InputError(Exception):
    """Input the CLI cannot use as given: reported in one line."""


def load(source: str) -> tuple[str, scenes.Scene]:
    """(title, scene) named by a preset, a scene file or a link; every notice is an error here."""
    meta = {}
    if source in presets.names():
        meta, scene, notices = presets.load(source)
    elif "?" in source or source.startswith(("http://", "https://")):
        scene, notices = scenes.from_query(link_query(source))
    else:
        path = pathlib.Path(source)
        if not path.is_file():
            raise InputError(
                f"{source!r} is neither a preset ({', '.join(presets.names())}) nor a readable file"
            )
        try:
            meta, scene, notices = presets.read(path)
        except (OSError, UnicodeDecodeError, ValueError) as error:
            raise InputError(
                f"cannot read {source!r} as a scene file: {str(error).splitlines()[0]}"
            ) from None
    if notices:
        raise InputError(f"bad value in {source[:60]!r}: {notices[0]}")
    return str(meta.get("title", "")), scene


def progress_bar(fraction: float, width: int = 30) -> None:
    done = int(round(fraction * width))
    sys.stderr.write(f"\r[{'#' * done}{'.' * (width - done)}] {fraction:4.0%}")
    if fraction >= 1:
        sys.stderr.write("\n")
    sys.stderr.flush()


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m scenes", description="Render Loss Landscape Lab scenes to files."
    )
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("list", help="the presets, one per line with its title")
    render = commands.add_parser("render", help="a scene to a file")
    render.add_argument("source", help="a preset name, a scene file, or a link copied from the app")
    render.add_argument("--format", choices=export.FORMATS, required=True)
    render.add_argument("--out", required=True, help="the file to write")
    render.add_argument(
        "--size", type=int, default=600, help=f"GIF/MP4 width in pixels (16–{export.MAX_SIZE})"
    )
    render.add_argument(
        "--frames",
        type=int,
        default=150,
        help=f"GIF/MP4 frames, evenly spaced (1–{export.MAX_FRAMES})",
    )
    render.add_argument("--fps", type=int, default=25, help="GIF/MP4 frames per second (1–60)")
    render.add_argument(
        "--step", type=int, default=None, help="PNG/SVG: the step shown (default: the last)"
    )
    render.add_argument(
        "--lang", choices=list(i18n.LANGS), default="en", help="language of the picture's words"
    )
    render.add_argument(
        "--curve", action="store_true", help="GIF/MP4: the loss curves under the picture"
    )
    args = parser.parse_args(argv)
    if args.command == "list":
        for name in presets.names():
            print(f"{name}\t{presets.load(name)[0]['title']}")
        return 0
    if export.falls_back(args.format, args.lang):
        print(f"note: {i18n.text('export.no_cjk_font', args.lang)}", file=sys.stderr)
    try:
        title, scene = load(args.source)
        bar = progress_bar if args.format in ("gif", "mp4") and sys.stderr.isatty() else None
        path = export.export(
            scene,
            args.format,
            args.out,
            size=args.size,
            frames=args.frames,
            fps=args.fps,
            step=args.step,
            title=title,
            lang=args.lang,
            progress=bar,
            curve=args.curve,
        )
    except (InputError, ValueError, OSError) as error:
        print(f"error: {one_line(error)}", file=sys.stderr)
        return 2
    print(path)
    return 0


def one_line(error: BaseException) -> str:
    """An error as one line of at most 300 characters: never a traceback, never a page."""
    lines = str(error).strip().splitlines() or [type(error).__name__]
    return lines[0][:300]


def guarded(argv=None) -> int:
    """`main`, with anything it did not foresee said in one line (exit 1) instead of a Python
    traceback: a bug is reported, not dumped on a student's terminal."""
    try:
        return main(argv)
    except KeyboardInterrupt:
        print("error: interrupted", file=sys.stderr)
        return 130
    except Exception as error:  # noqa: BLE001  (the last line of defence, and it says so)
        print(
            f"error: unexpected {type(error).__name__}: {one_line(error)} (please report this)",
            file=sys.stderr,
        )
        return 1


if __name__ == "__main__":
    sys.exit(guarded())
