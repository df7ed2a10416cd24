"""Images in the BookStack output are judged by content (issue #14).

BookStack refuses a whole book import for one image it does not sniff as PNG,
JPEG, GIF or WebP.  The root ``test-bookstack-images`` has a page using a real
PNG, an SVG, a BMP, a TIFF, an ICO, a text file named ``.png``, a truncated PNG,
a broken SVG and a PDF; the binary ones are made here with Pillow.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup
from helpers.build import build, copy_root, read_book
from helpers.zip_checker import check_package, image_problem
from PIL import Image
from sphinx.util.console import strip_colors

from sphinx_mosaic import images
from sphinx_mosaic.bookstack.assets import ImageConverter, Refused, Shown
from sphinx_mosaic.warnings import MosaicWarning

PAGE = "1-gallery/1-pictures.md"


def _picture(mode: str = "RGB", size: tuple[int, int] = (24, 16)) -> Image.Image:
    """A small image with distinct pixels, so a wrong conversion shows."""
    width, height = size
    image = Image.new("RGB", size)
    image.putdata(
        [
            (x * 10 % 256, y * 15 % 256, (x + y) * 7 % 256)
            for y in range(height)
            for x in range(width)
        ]
    )
    return image.convert(mode)


def _encoded(image: Image.Image, fmt: str, **options: Any) -> bytes:
    out = io.BytesIO()
    image.save(out, fmt, **options)
    return out.getvalue()


REAL_PNG = _encoded(_picture(), "PNG")
BINARIES = {
    "real.png": REAL_PNG,
    "bitmap.bmp": _encoded(_picture(), "BMP"),
    "scan.tiff": _encoded(_picture("CMYK"), "TIFF"),
    "icon.ico": _encoded(_picture("RGBA", (24, 16)), "ICO", sizes=[(16, 16)]),
    "truncated.png": REAL_PNG[: len(REAL_PNG) // 2],
}


def _source(tmp_path: Path) -> Path:
    srcdir = copy_root("bookstack-images", tmp_path)
    for name, data in BINARIES.items():
        (srcdir / "1-gallery" / "img" / name).write_bytes(data)
    return srcdir


def _line_of(srcdir: Path, target: str) -> int:
    lines = (srcdir / PAGE).read_text(encoding="utf-8").splitlines()
    return next(number for number, line in enumerate(lines, 1) if f"(img/{target})" in line)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, str]:
    tmp = tmp_path_factory.mktemp("images")
    srcdir = _source(tmp)
    outdir, warnings = build(srcdir, tmp / "_build")
    return srcdir, outdir / "books" / "1-gallery.zip", strip_colors(warnings)


def _page(path: Path) -> dict[str, Any]:
    book = read_book(path)["book"]
    return next(page for page in book["pages"] if page["name"] == "Pictures")  # type: ignore[no-any-return]


def _files(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {
            name.removeprefix("files/"): archive.read(name)
            for name in archive.namelist()
            if name.startswith("files/")
        }


def test_the_zip_passes_bookstack_checks(built: tuple[Path, Path, str]) -> None:
    assert check_package(built[1]) == []


def test_every_image_in_the_zip_is_a_real_png_jpeg_gif_or_webp(
    built: tuple[Path, Path, str],
) -> None:
    page, files = _page(built[1]), _files(built[1])
    assert [image["name"] for image in page["images"]] == [
        "real.png",
        "drawing.svg",
        "bitmap.bmp",
        "scan.tiff",
        "icon.ico",
    ]
    for image in page["images"]:
        with Image.open(io.BytesIO(files[image["file"]])) as opened:
            assert opened.format in {"PNG", "JPEG", "GIF", "WEBP"}
            opened.load()
        assert image_problem(files[image["file"]]) is None


def test_a_real_png_is_kept_byte_for_byte(built: tuple[Path, Path, str]) -> None:
    page, files = _page(built[1]), _files(built[1])
    (real,) = [image for image in page["images"] if image["name"] == "real.png"]
    assert files[real["file"]] == REAL_PNG


def test_the_svg_became_a_png_the_page_shows(built: tuple[Path, Path, str]) -> None:
    page, files = _page(built[1]), _files(built[1])
    (drawing,) = [image for image in page["images"] if image["name"] == "drawing.svg"]
    assert drawing["file"].endswith("-drawing.png")
    with Image.open(io.BytesIO(files[drawing["file"]])) as png:
        # width="60" height="30": drawn at twice its intrinsic size.
        assert (png.format, png.size) == ("PNG", (120, 60))
        assert png.convert("RGB").getpixel((60, 30)) == (252, 233, 79)  # the circle
    soup = BeautifulSoup(page["html"], "html.parser")
    img = soup.find("img", alt="A drawing")
    assert img is not None and img["src"] == f"[[bsexport:image:{drawing['id']}]]"


@pytest.mark.parametrize("name", ["bitmap.bmp", "scan.tiff", "icon.ico"])
def test_other_formats_become_pngs_with_the_same_pixels(
    built: tuple[Path, Path, str], name: str
) -> None:
    page, files = _page(built[1]), _files(built[1])
    (image,) = [image for image in page["images"] if image["name"] == name]
    assert image["file"].endswith(".png")
    with (
        Image.open(io.BytesIO(files[image["file"]])) as png,
        Image.open(io.BytesIO(BINARIES[name])) as original,
    ):
        assert png.format == "PNG"
        assert png.size == original.size
        assert png.convert("RGB").tobytes() == original.convert("RGB").tobytes()


def test_broken_images_are_left_out_with_a_warning_at_their_line(
    built: tuple[Path, Path, str],
) -> None:
    srcdir, path, warnings = built
    lines = [line for line in warnings.splitlines() if line]
    # The reasons are Pillow's and resvg's own messages.
    expected = {
        "fake.png": "Pillow cannot read it: cannot identify image file",
        "truncated.png": "Pillow cannot read it: Truncated File Read",
        "broken.svg": "resvg cannot draw it: the root node was opened but never closed",
    }
    for name, reason in expected.items():
        warning = (
            f"{srcdir / PAGE}:{_line_of(srcdir, name)}: WARNING: image '1-gallery/img/{name}' "
            "is not a usable image, it is left out of the BookStack output and its alt text is "
            f"shown instead: {reason} [mosaic.{MosaicWarning.IMAGE.subtype}]"
        )
        assert warning in lines
    names = " ".join(_files(path))
    for name in expected:
        assert Path(name).stem not in names


def test_a_file_that_is_no_image_is_attached(built: tuple[Path, Path, str]) -> None:
    srcdir, path, warnings = built
    page = _page(path)
    (notes,) = page["attachments"]
    assert notes["name"] == "notes.pdf"
    assert _files(path)[notes["file"]] == (srcdir / "1-gallery/img/notes.pdf").read_bytes()
    assert f'<a href="[[bsexport:attachment:{notes["id"]}]]">notes.pdf</a>' in page["html"]
    (line,) = [line for line in warnings.splitlines() if "notes.pdf" in line]
    assert f"{PAGE}:{_line_of(srcdir, 'notes.pdf')}: WARNING:" in line
    assert "attached to the page instead of shown" in line and "[mosaic.image]" in line


def test_the_page_keeps_its_content(built: tuple[Path, Path, str]) -> None:
    text = BeautifulSoup(_page(built[1])["html"], "html.parser").get_text()
    for alt in ("A fake PNG", "A truncated PNG", "A broken SVG"):
        assert alt in text
    assert "The text after the images stays." in text
    assert len(built[2].splitlines()) == 4  # three broken images and the PDF, nothing else


def test_two_builds_give_byte_identical_zips(built: tuple[Path, Path, str], tmp_path: Path) -> None:
    again, _ = build(_source(tmp_path), tmp_path / "_build")
    assert (again / "books" / "1-gallery.zip").read_bytes() == built[1].read_bytes()


def test_a_rebuild_from_the_conversion_cache_gives_the_same_bytes(tmp_path: Path) -> None:
    srcdir = _source(tmp_path)
    first, _ = build(srcdir, tmp_path / "_build")
    before = (first / "books" / "1-gallery.zip").read_bytes()
    (srcdir / PAGE).write_text((srcdir / PAGE).read_text() + "\nOne more line.\n")
    second, _ = build(srcdir, tmp_path / "_build")
    files_before = _files(first / "books" / "1-gallery.zip")
    assert _files(second / "books" / "1-gallery.zip") == files_before
    assert before != (second / "books" / "1-gallery.zip").read_bytes()  # the page changed


# -- units ---------------------------------------------------------------------


def _chunks(png: bytes) -> list[bytes]:
    found, offset = [], 8
    while offset < len(png):
        (length,) = struct.unpack(">I", png[offset : offset + 4])
        found.append(png[offset + 4 : offset + 8])
        offset += 12 + length
    return found


def test_converted_pngs_hold_pixels_only_and_are_deterministic() -> None:
    image = _picture()
    tiff = _encoded(image, "TIFF", icc_profile=b"\0" * 128, dpi=(300, 300))
    png = images.to_png(tiff)
    assert png == images.to_png(tiff)
    assert set(_chunks(png)) <= {b"IHDR", b"PLTE", b"tRNS", b"IDAT", b"IEND"}


@pytest.mark.parametrize(
    ("mode", "converted"),
    [("CMYK", "RGB"), ("LAB", "RGB"), ("I", "RGB"), ("F", "RGB"), ("PA", "RGBA"), ("I;16", "I;16")],
)
def test_tiffs_of_every_mode_become_pngs(mode: str, converted: str) -> None:
    png = images.to_png(_encoded(Image.new(mode, (4, 3)), "TIFF"))
    assert image_problem(png) is None
    with Image.open(io.BytesIO(png)) as image:
        assert (image.size, image.mode) == ((4, 3), converted)


def test_the_converter_cache_keeps_its_answers(tmp_path: Path) -> None:
    converter = ImageConverter(tmp_path / "cache")
    bmp = BINARIES["bitmap.bmp"]
    first = converter.prepare("x.bmp", bmp)
    assert isinstance(first, Shown) and first.extension == "png"
    assert sorted(p.suffix for p in (tmp_path / "cache").iterdir()) == [".png"]
    assert converter.prepare("x.bmp", bmp) == first
    kept = converter.prepare("y.png", REAL_PNG)
    assert kept == Shown(REAL_PNG, "png")


@pytest.mark.parametrize(
    ("name", "data", "broken"),
    [
        ("x.png", b"not a png", True),
        ("x.png", REAL_PNG[:-20], True),
        ("x.png", REAL_PNG[:8] + b"\0" * 40, True),
        ("x.svg", b"<svg", True),
        ("x.svgz", b"\x1f\x8b not really gzip", True),
        ("x.dat", b"plain data", False),
    ],
)
def test_unreadable_files_are_refused(tmp_path: Path, name: str, data: bytes, broken: bool) -> None:
    got = ImageConverter(tmp_path).prepare(name, data)
    assert isinstance(got, Refused) and got.broken is broken
    assert "0x" not in got.reason  # no object addresses: the warning is the same every build


def test_an_svg_cannot_draw_files_from_outside_it(tmp_path: Path) -> None:
    secret = tmp_path / "secret.png"
    secret.write_bytes(_encoded(Image.new("RGB", (8, 8), (255, 0, 0)), "PNG"))
    drawing = (
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
        f'width="8" height="8"><image href="{secret}" width="8" height="8"/>'
        f'<image xlink:href="{secret}" width="8" height="8"/></svg>'
    )
    with Image.open(io.BytesIO(images.svg_to_png(drawing.encode()))) as png:
        assert png.size == (16, 16)
        assert png.getextrema()[3] == (0, 0)  # nothing drawn: fully transparent


@pytest.mark.parametrize(
    ("reference", "inside"),
    [
        ("#shape", True),
        ("data:image/png;base64,AAAA", True),
        (" Data:Image/SVG+xml;base64,AAAA", False),
        ("/etc/picture.png", False),
        ("file:///etc/picture.png", False),
        ("picture.png", False),
        ("https://example.org/a.png", False),
    ],
)
def test_references_an_svg_keeps(reference: str, inside: bool) -> None:
    assert images._inside(reference) is inside


def test_svgz_is_unpacked() -> None:
    text = b'<svg xmlns="http://www.w3.org/2000/svg" width="5" height="4"/>'
    gz = zlib.compressobj(wbits=16 + zlib.MAX_WBITS)
    packed = gz.compress(text) + gz.flush()
    with Image.open(io.BytesIO(images.svg_to_png(packed))) as png:
        assert png.size == (10, 8)


@pytest.mark.parametrize(
    ("root", "size"),
    [
        ('width="60" height="30"', (60.0, 30.0)),
        ('width="1in" height="72pt"', (96.0, 96.0)),
        ('viewBox="0 0 300 100"', (300.0, 100.0)),
        ('width="100%" height="100%" viewBox="0,0,40,20"', (40.0, 20.0)),
        ('width="80" viewBox="0 0 40 20"', (80.0, 40.0)),
        ("", None),
    ],
)
def test_intrinsic_size(root: str, size: tuple[float, float] | None) -> None:
    data = f'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" {root}></svg>'
    assert images.intrinsic_size(data.encode()) == size


def test_large_drawings_are_capped() -> None:
    assert images.zoom_for((100.0, 50.0)) == images.SCALE
    assert images.zoom_for((8000.0, 100.0)) * 8000 == images.MAX_SIDE
    assert images.zoom_for(None) == 1.0


def test_check_package_refuses_a_fake_image(built: tuple[Path, Path, str], tmp_path: Path) -> None:
    page = _page(built[1])
    ref = page["images"][0]["file"]
    forged = tmp_path / "forged.zip"
    with zipfile.ZipFile(built[1]) as source, zipfile.ZipFile(forged, "w") as target:
        for name in source.namelist():
            body = source.read(name)
            target.writestr(name, REAL_PNG[:30] if name == f"files/{ref}" else body)
    problems = check_package(forged)
    assert len(problems) == 1 and f"file {ref!r} is a broken image/png" in problems[0]


# -- the publisher uploads what the ZIP holds ------------------------------------------


class _RecordingClient:
    """Just enough of BookStackClient for PageFiles.upload_image."""

    class settings:  # stands in for the client's settings attribute
        attempts = 1

    def __init__(self) -> None:
        self.uploads: list[tuple[str, bytes, str]] = []

    def post(self, path: str, data: dict[str, Any], files: dict[str, Any]) -> dict[str, Any]:
        self.uploads.append(files["image"])
        return {"id": 1, "name": data["name"], "url": "/uploads/x.png"}


def test_the_publisher_uploads_the_converted_png_as_png(built: tuple[Path, Path, str]) -> None:
    from sphinx_mosaic.bookstack.format.model import Asset
    from sphinx_mosaic.publish.files import PageFiles

    page, files = _page(built[1]), _files(built[1])
    (drawing,) = [image for image in page["images"] if image["name"] == "drawing.svg"]
    client = _RecordingClient()
    asset = Asset("image", drawing["id"], drawing["name"], drawing["file"], files[drawing["file"]])
    PageFiles(client, "http://bookstack.invalid").upload_image(asset, 7)  # type: ignore[arg-type]
    # The type is the content's, whatever the name says.
    named_svg = Asset("image", 2, "drawing.svg", "drawing.svg", files[drawing["file"]])
    PageFiles(client, "http://bookstack.invalid").upload_image(named_svg, 7)  # type: ignore[arg-type]
    (ref, data, mime), (_ref, _data, svg_mime) = client.uploads
    assert (ref.endswith(".png"), mime, svg_mime) == (True, "image/png", "image/png")
    assert data.startswith(b"\x89PNG\r\n\x1a\n") and image_problem(data) is None


@pytest.mark.parametrize("mode", ["RGB", "RGBA", "P"])
def test_the_two_png_writers_keep_their_own_bytes(mode: str) -> None:
    """The BookStack conversion and the drawings cache write the same pixels in different
    bytes (zlib level 6 vs 9; a palette kept vs made RGBA).  Either changing would change
    ZIP digests and upload every image again, so neither may quietly become the other."""
    source = _encoded(_picture().convert(mode), "BMP")
    converted, recompressed = images.to_png(source), images.recompressed_png(source)
    assert converted != recompressed
    assert converted == images.to_png(source)
    assert recompressed == images.recompressed_png(source)
    with Image.open(io.BytesIO(converted)) as one, Image.open(io.BytesIO(recompressed)) as two:
        assert one.convert("RGBA").tobytes() == two.convert("RGBA").tobytes()
        assert (one.mode == "P") is (mode == "P")
        assert two.mode != "P"
