"""Small real files for the evidence tests, made with Pillow (and pillow-heif) or by hand."""

import functools
import io
import struct
import zlib

import pillow_heif
from PIL import Image, PngImagePlugin

# EXIF tags: Orientation, the GPS block, and inside it latitude and its reference.
ORIENTATION = 0x0112
GPS_IFD = 0x8825
GPS_LATITUDE_REF, GPS_LATITUDE = 1, 2

PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)
HTML = b"<!doctype html><html><body><script>alert(document.cookie)</script></body></html>"
SVG = (
    b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
    b"<script>alert(1)</script></svg>"
)


def picture(size=(40, 30), colour=(200, 30, 30), **kwargs) -> Image.Image:
    """A picture whose left half is `colour` and right half white, to tell which way is up."""
    image = Image.new("RGB", size, "white")
    image.paste(colour, (0, 0, size[0] // 2, size[1]))
    return image


def encoded(image: Image.Image, fmt: str, **options) -> bytes:
    out = io.BytesIO()
    image.save(out, format=fmt, **options)
    return out.getvalue()


def jpeg(size=(40, 30), *, orientation=None, gps=False) -> bytes:
    image = picture(size)
    exif = Image.Exif()
    if orientation:
        exif[ORIENTATION] = orientation
    if gps:
        exif.get_ifd(GPS_IFD).update({GPS_LATITUDE_REF: "N", GPS_LATITUDE: (52.0, 31.0, 12.0)})
    extra = {"xmp": XMP} if gps else {}
    return encoded(image, "JPEG", exif=exif.tobytes(), comment=b"Kitchen, 5th floor", **extra)


def gps_exif() -> bytes:
    exif = Image.Exif()
    exif.get_ifd(GPS_IFD).update({GPS_LATITUDE_REF: "N", GPS_LATITUDE: (52.0, 31.0, 12.0)})
    return exif.tobytes()


XMP = b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF/></x:xmpmeta>'


def png(size=(40, 30), *, gps=False) -> bytes:
    if not gps:
        return encoded(picture(size), "PNG")
    info = PngImagePlugin.PngInfo()
    info.add_text("Location", "Hauptstrasse 5, Berlin")
    return encoded(picture(size), "PNG", exif=gps_exif(), pnginfo=info)


def webp(size=(40, 30), *, gps=False) -> bytes:
    extra = {"exif": gps_exif(), "xmp": XMP} if gps else {}
    return encoded(picture(size), "WEBP", lossless=True, **extra)


def heic(size=(64, 48), *, gps=False) -> bytes:
    heif = pillow_heif.from_pillow(picture(size))
    out = io.BytesIO()
    heif.save(out, quality=90, **({"exif": gps_exif()} if gps else {}))
    return out.getvalue()


def png_with_transparent_colour() -> bytes:
    image = picture().convert("P")
    return encoded(image, "PNG", transparency=0)


def png_header_only(width: int, height: int) -> bytes:
    """A PNG that claims `width` × `height` pixels: a header and an empty image, a few bytes in
    all, the way a decompression bomb announces itself."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b""))
        + chunk(b"IEND", b"")
    )


def polyglot() -> bytes:
    """A valid JPEG that also carries a web page, in a comment segment."""
    return encoded(picture(), "JPEG", comment=b"<html><script>alert(1)</script></html>")


@functools.cache
def png_real(width: int, height: int) -> bytes:
    """A complete, valid black PNG of `width` × `height` pixels, compressed as a camera app never
    would: 20,000 × 20,000 is 400 megapixels (1.2 GB decoded) in about 5 MB."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    row = bytes(1 + width * 3)  # filter byte "none", then black RGB pixels
    deflate = zlib.compressobj(1)
    pixels = b"".join([*(deflate.compress(row) for _ in range(height)), deflate.flush()])
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )
