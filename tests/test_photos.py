"""The server's photo pipeline: what reaches the database from an uploaded image."""

import contextlib
import hashlib
import io
import random
import struct
import zlib

import pytest
from PIL import ExifTags, Image, ImageCms, ImageFile, PngImagePlugin, TiffImagePlugin

from est_pwa.observations.photos import (
    BrokenPhoto,
    PhotoError,
    PhotoTooLarge,
    UnsupportedPhoto,
    process,
)

RED, BLUE, GREEN, WHITE = (255, 0, 0), (0, 0, 255), (0, 255, 0), (255, 255, 255)
FORMATS = ("JPEG", "PNG", "WEBP", "HEIF")

# Pillow reports the JFIF header every baseline JPEG starts with; it holds no personal data.
JFIF_KEYS = {"jfif", "jfif_version", "jfif_unit", "jfif_density"}

# Strings planted in the uploads' metadata; none may survive into what is stored.
PLANTED = {
    "make": "Testkamera AB",
    "model": "Modell X9",
    "datetime": "2026:05:01 21:14:00",
    "artist": "Anna Andersson",
    "comment": b"Taget vid Storgatan 7 av Anna",
    "xmp": b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF '
    b'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
    b'<rdf:Description xmlns:xap="http://ns.adobe.com/xap/1.0/" xap:CreatorTool="Xmp-verktyg"/>'
    b"</rdf:RDF></x:xmpmeta>",
}
PLANTED_BYTES = (
    b"Exif\x00\x00",
    b"http://ns.adobe.com/xap",
    b"Xmp-verktyg",
    b"ICC_PROFILE",
    b"Photoshop 3.0",
    b"Testkamera",
    b"Modell X9",
    b"2026:05:01",
    b"Anna",
)


def encode(image: Image.Image, format: str, **params) -> bytes:
    """Returns the image saved in format."""
    buffer = io.BytesIO()
    image.save(buffer, format, **params)
    return buffer.getvalue()


def picture(size: tuple[int, int] = (300, 200)) -> Image.Image:
    """Returns an upright test picture: blue, with a red top-left corner."""
    image = Image.new("RGB", size, BLUE)
    image.paste(RED, (0, 0, size[0] // 3, size[1] // 2))
    return image


def noisy(size: tuple[int, int] = (96, 64)) -> Image.Image:
    """Returns a picture with detail everywhere, so a cut anywhere loses image data."""
    channels = [Image.effect_noise(size, 60).convert("L") for _ in range(3)]
    return Image.merge("RGB", channels)


def gps_ifd(lat: tuple, lat_ref: str, lon: tuple, lon_ref: str) -> dict:
    """Returns an EXIF GPS directory with degrees, minutes and seconds as rationals."""
    return {
        ExifTags.GPS.GPSLatitudeRef: lat_ref,
        ExifTags.GPS.GPSLatitude: tuple(TiffImagePlugin.IFDRational(*part) for part in lat),
        ExifTags.GPS.GPSLongitudeRef: lon_ref,
        ExifTags.GPS.GPSLongitude: tuple(TiffImagePlugin.IFDRational(*part) for part in lon),
    }


# 59.1277 N, 15.1434 E (Kumla) as a camera writes it: 59° 7' 39.72", 15° 8' 36.24".
KUMLA_GPS = gps_ifd(((59, 1), (7, 1), (3972, 100)), "N", ((15, 1), (8, 1), (3624, 100)), "E")


def exif_bytes(orientation: int = 1, gps: dict | None = None) -> bytes:
    """Returns EXIF with camera, time, owner, orientation and (by default) Kumla's position."""
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = PLANTED["make"]
    exif[ExifTags.Base.Model] = PLANTED["model"]
    exif[ExifTags.Base.DateTime] = PLANTED["datetime"]
    exif[ExifTags.Base.Artist] = PLANTED["artist"]
    exif[ExifTags.Base.Orientation] = orientation
    exif.get_ifd(ExifTags.IFD.Exif)[ExifTags.Base.DateTimeOriginal] = PLANTED["datetime"]
    exif.get_ifd(ExifTags.IFD.GPSInfo).update(KUMLA_GPS if gps is None else gps)
    return exif.tobytes()


def jpeg_segment(marker: int, payload: bytes) -> bytes:
    """Returns one JPEG marker segment."""
    return bytes((0xFF, marker)) + struct.pack(">H", len(payload) + 2) + payload


def srgb_profile() -> bytes:
    """Returns an sRGB ICC profile."""
    return ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()


def with_all_metadata(image: Image.Image, format: str, *, icc: bool = True) -> bytes:
    """Returns the image saved with EXIF (GPS too), XMP, ICC, comments and IPTC where it can."""
    params = {"exif": exif_bytes(), "xmp": PLANTED["xmp"]}
    if icc:
        params |= {"icc_profile": srgb_profile()}
    if format == "JPEG":
        iptc = jpeg_segment(
            0xED, b"Photoshop 3.0\x008BIM\x04\x04\x00\x00\x00\x00\x00\x05\x1c\x02Anna"
        )
        params |= {"comment": PLANTED["comment"], "extra": iptc}
    if format == "PNG":
        text = PngImagePlugin.PngInfo()
        text.add_text("Comment", PLANTED["comment"].decode())
        text.add_itxt("XML:com.adobe.xmp", PLANTED["xmp"].decode())
        params |= {"pnginfo": text}
        del params["xmp"]
    return encode(image, format, **params)


def png_claiming(width: int, height: int) -> bytes:
    """Returns a tiny, well-formed PNG whose header claims width x height pixels."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + chunk(b"IEND", b"")
    )


def jpeg_claiming(width: int, height: int) -> bytes:
    """Returns a small JPEG whose frame header claims width x height pixels."""
    data = bytearray(encode(picture((16, 16)), "JPEG"))
    frame = data.index(b"\xff\xc0")
    data[frame + 5 : frame + 9] = struct.pack(">HH", height, width)
    return bytes(data)


def header_segments(jpeg: bytes) -> list[tuple[int, bytes]]:
    """Returns the (marker, payload) segments of a JPEG up to its image data."""
    segments, position = [], 2
    while jpeg[position + 1] != 0xDA:  # start of scan: metadata cannot follow
        length = struct.unpack(">H", jpeg[position + 2 : position + 4])[0]
        segments.append((jpeg[position + 1], jpeg[position + 4 : position + 2 + length]))
        position += 2 + length
    return segments


def assert_no_metadata(jpeg: bytes) -> None:
    """Fails unless the JPEG holds nothing but pixels and its JFIF header."""
    with Image.open(io.BytesIO(jpeg)) as image:
        assert image.format == "JPEG"
        assert set(image.info) <= JFIF_KEYS
        assert not image.getexif()
    extras = [(marker, payload[:5]) for marker, payload in header_segments(jpeg) if marker >= 0xE0]
    assert extras == [(0xE0, b"JFIF\x00")]  # no APP1-15 (EXIF, XMP, ICC, IPTC), no comment
    for planted in PLANTED_BYTES:
        assert planted not in jpeg


def assert_colour(image: Image.Image, xy: tuple[int, int], expected: tuple) -> None:
    """Fails unless the pixel at xy is expected, give or take JPEG's rounding."""
    actual = image.convert("RGB").getpixel(xy)
    assert all(abs(a - e) <= 12 for a, e in zip(actual, expected, strict=True)), actual


def opened(data: bytes) -> Image.Image:
    """Returns the stored JPEG, decoded."""
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


# How the camera's sensor held the upright picture for each EXIF orientation.
STORED_AS = {
    1: None,
    3: Image.Transpose.ROTATE_180,  # camera upside down
    6: Image.Transpose.ROTATE_90,  # camera turned right: a viewer must turn the file clockwise
    8: Image.Transpose.ROTATE_270,  # camera turned left
}


@pytest.mark.parametrize("format", ["JPEG", "PNG", "WEBP"])
@pytest.mark.parametrize("orientation", [1, 3, 6, 8])
def test_photo_comes_out_upright(format, orientation):
    upright = picture((300, 200))
    turn = STORED_AS[orientation]
    stored = upright.transpose(turn) if turn else upright
    assert stored.size == ((200, 300) if orientation in (6, 8) else (300, 200))

    result = process(encode(stored, format, exif=exif_bytes(orientation)))

    assert (result.width, result.height) == (300, 200)
    for data in (result.jpeg, result.thumbnail):
        image = opened(data)
        assert image.width > image.height
        assert_colour(image, (image.width // 10, image.height // 10), RED)
        assert_colour(image, (image.width * 9 // 10, image.height * 9 // 10), BLUE)


def test_heic_turned_by_the_camera_comes_out_upright():
    stored = picture((300, 200)).transpose(Image.Transpose.ROTATE_90)

    result = process(encode(stored, "HEIF", exif=exif_bytes(6)))

    assert (result.width, result.height) == (300, 200)
    assert_colour(opened(result.jpeg), (30, 20), RED)


@pytest.mark.parametrize("icc", [True, False], ids=["with profile", "without profile"])
@pytest.mark.parametrize("format", FORMATS)
def test_all_metadata_is_removed(format, icc):
    upload = with_all_metadata(noisy((200, 150)), format, icc=icc)
    with Image.open(io.BytesIO(upload)) as original:  # the planting worked
        assert original.getexif().get_ifd(ExifTags.IFD.GPSInfo)
        assert bool(original.info.get("icc_profile")) == icc

    result = process(upload)

    assert_no_metadata(result.jpeg)
    assert_no_metadata(result.thumbnail)


@pytest.mark.parametrize("format", FORMATS)
def test_gps_position_is_read_before_it_is_removed(format):
    result = process(encode(picture(), format, exif=exif_bytes()))

    assert result.gps == pytest.approx((59.1277, 15.1434), abs=1e-6)


@pytest.mark.parametrize(
    ("gps", "expected"),
    [
        (
            gps_ifd(((33, 1), (51, 1), (36, 1)), "S", ((151, 1), (12, 1), (36, 1)), "W"),
            (-33.86, -151.21),
        ),
        (gps_ifd(((0, 1), (0, 1), (0, 1)), "N", ((0, 1), (0, 1), (0, 1)), "E"), None),
        (gps_ifd(((91, 1), (0, 1), (0, 1)), "N", ((15, 1), (0, 1), (0, 1)), "E"), None),
        (gps_ifd(((59, 0), (7, 1), (0, 1)), "N", ((15, 1), (8, 1), (0, 1)), "E"), None),
        ({ExifTags.GPS.GPSLatitudeRef: "N"}, None),
        ({}, None),
    ],
    ids=[
        "south-west",
        "no fix written as 0-0",
        "out of range",
        "zero denominator",
        "partial",
        "none",
    ],
)
def test_gps_position_is_signed_and_only_kept_when_usable(gps, expected):
    result = process(encode(picture(), "JPEG", exif=exif_bytes(gps=gps)))

    if expected is None:
        assert result.gps is None
    else:
        assert result.gps == pytest.approx(expected, abs=1e-6)


def test_photo_without_exif_has_no_position():
    assert process(encode(picture(), "JPEG")).gps is None


@pytest.mark.parametrize(
    ("format", "size", "stored", "thumbnail"),
    [
        ("JPEG", (4000, 3000), (2048, 1536), (320, 240)),
        ("JPEG", (3000, 4000), (1536, 2048), (240, 320)),
        ("JPEG", (4096, 3072), (2048, 1536), (320, 240)),  # decoded at half scale
        ("JPEG", (8192, 1000), (2048, 250), (320, 39)),  # a panorama, decoded at a quarter
        ("PNG", (4000, 3000), (2048, 1536), (320, 240)),
        ("WEBP", (2500, 2500), (2048, 2048), (320, 320)),
        ("JPEG", (800, 600), (800, 600), (320, 240)),
        ("PNG", (120, 80), (120, 80), (120, 80)),
    ],
)
def test_photo_is_scaled_down_never_up(format, size, stored, thumbnail):
    result = process(encode(picture(size), format))

    assert (result.width, result.height) == stored
    assert opened(result.jpeg).size == stored
    assert opened(result.thumbnail).size == thumbnail
    assert_colour(opened(result.jpeg), (stored[0] // 10, stored[1] // 10), RED)


@pytest.mark.parametrize(
    "upload",
    [
        encode(Image.new("RGBA", (60, 40), (*GREEN, 0)), "PNG"),
        encode(Image.new("LA", (60, 40), (0, 0)), "PNG"),
        encode(Image.new("P", (60, 40), 0), "PNG", transparency=0),
        encode(Image.new("RGBA", (60, 40), (*GREEN, 0)), "WEBP", lossless=True),
    ],
    ids=["rgba", "grey with alpha", "palette", "webp"],
)
def test_transparent_parts_turn_white(upload):
    result = process(upload)

    image = opened(result.jpeg)
    assert image.mode == "RGB"
    assert_colour(image, (30, 20), WHITE)


def test_half_transparent_png_keeps_its_opaque_part():
    image = Image.new("RGBA", (60, 40), (*GREEN, 0))
    image.paste((*RED, 255), (0, 0, 30, 40))

    result = opened(process(encode(image, "PNG")).jpeg)

    assert_colour(result, (10, 20), RED)
    assert_colour(result, (50, 20), WHITE)


@pytest.mark.parametrize(
    ("upload", "colour"),
    [
        (encode(picture(), "HEIF"), RED),
        (encode(picture(), "WEBP"), RED),
        (encode(picture(), "MPO", save_all=True, append_images=[noisy()]), RED),
        (encode(Image.new("CMYK", (300, 200), (0, 255, 255, 0)), "JPEG"), RED),
        (encode(picture().convert("P"), "PNG"), RED),
        (encode(Image.new("L", (300, 200), 128), "JPEG"), (128, 128, 128)),
        (encode(Image.new("I;16", (300, 200), 40000), "PNG"), (156, 156, 156)),
        (encode(Image.new("1", (300, 200), 1), "PNG"), WHITE),
    ],
    ids=[
        "heic",
        "webp",
        "jpeg with a second picture",
        "cmyk",
        "palette",
        "grey",
        "16-bit grey",
        "1-bit",
    ],
)
def test_accepted_image_is_stored_as_rgb_jpeg(upload, colour):
    result = process(upload)

    assert result.content_type == "image/jpeg"
    image = opened(result.jpeg)
    assert (image.format, image.mode) == ("JPEG", "RGB")
    assert_colour(image, (10, 10), colour)


def test_photo_with_a_colour_profile_keeps_its_colours():
    upload = encode(picture(), "JPEG", icc_profile=srgb_profile(), quality=95)

    result = opened(process(upload).jpeg)

    assert_colour(result, (10, 10), RED)
    assert_colour(result, (290, 190), BLUE)


def test_hash_is_of_the_stored_bytes_and_repeatable():
    upload = with_all_metadata(noisy((640, 480)), "JPEG")

    first, second = process(upload), process(upload)

    assert first.sha256 == hashlib.sha256(first.jpeg).hexdigest()
    assert (first.jpeg, first.thumbnail, first.sha256) == (
        second.jpeg,
        second.thumbnail,
        second.sha256,
    )


JPEG_BYTES = encode(noisy(), "JPEG")
PNG_BYTES = encode(noisy(), "PNG")


def with_bad_checksum(png: bytes) -> bytes:
    """Returns the PNG with one byte of its image data's checksum changed."""
    data = bytearray(png)
    data[data.index(b"IEND") - 5] ^= 0xFF
    return bytes(data)


@pytest.mark.parametrize(
    ("upload", "error", "status", "words"),
    [
        (b"", UnsupportedPhoto, 415, "JPEG, PNG, WebP eller HEIC"),
        (b"Hej! Det h\xc3\xa4r \xc3\xa4r ingen bild.\n", UnsupportedPhoto, 415, "inte en bild"),
        (random.Random(1).randbytes(4096), UnsupportedPhoto, 415, "inte en bild"),
        (encode(picture(), "GIF"), UnsupportedPhoto, 415, "inte en bild"),
        (encode(picture(), "BMP"), UnsupportedPhoto, 415, "inte en bild"),
        (encode(picture(), "TIFF"), UnsupportedPhoto, 415, "inte en bild"),
        (JPEG_BYTES[: len(JPEG_BYTES) // 2], BrokenPhoto, 400, "skadad"),
        (PNG_BYTES[: len(PNG_BYTES) // 2], BrokenPhoto, 400, "skadad"),
        (with_bad_checksum(PNG_BYTES), BrokenPhoto, 400, "skadad"),
        (encode(noisy(), "WEBP")[:60], BrokenPhoto, 400, "skadad"),
    ],
    ids=[
        "empty",
        "text",
        "random",
        "gif",
        "bmp",
        "tiff",
        "cut jpeg",
        "cut png",
        "bad crc",
        "cut webp",
    ],
)
def test_bad_upload_is_refused_with_a_swedish_message(upload, error, status, words):
    with pytest.raises(error) as refused:
        process(upload)

    assert refused.value.status == status
    assert words in refused.value.message_sv
    assert refused.value.message_en


@pytest.mark.parametrize(
    "upload",
    [
        png_claiming(30_000, 30_000),  # beyond Pillow's own hard limit
        png_claiming(10_000, 10_000),  # Pillow only warns (an error here: warnings are errors)
        png_claiming(8_000, 6_000),  # below Pillow's limits, above ours
        jpeg_claiming(65_535, 65_535),
    ],
    ids=["png 900 MP", "png 100 MP", "png 48 MP", "jpeg 4 GP"],
)
def test_decompression_bomb_is_refused_before_decoding(upload, monkeypatch):
    def no_decoding(self):
        raise AssertionError("pixels were decoded")

    monkeypatch.setattr(ImageFile.ImageFile, "load", no_decoding)
    assert len(upload) < 1000

    with pytest.raises(PhotoTooLarge) as refused:
        process(upload)

    assert refused.value.status == 400
    assert "för stor" in refused.value.message_sv
    assert "40 megapixel" in refused.value.message_sv


def test_decompression_bomb_is_refused_where_warnings_only_warn():
    with pytest.warns(Image.DecompressionBombWarning), pytest.raises(PhotoTooLarge):
        process(png_claiming(10_000, 10_000))


def test_pixel_limit_is_the_callers():
    upload = encode(picture((300, 200)), "PNG")

    with pytest.raises(PhotoTooLarge):
        process(upload, max_pixels=50_000)
    assert process(upload, max_pixels=60_000).width == 300


@pytest.mark.filterwarnings(
    "ignore::UserWarning"
)  # Pillow's "corrupt EXIF" notes, as in production
@pytest.mark.parametrize("format", FORMATS)
def test_damaged_upload_is_processed_or_refused_never_crashes(format):
    original = encode(noisy(), format, exif=exif_bytes(6))
    chance = random.Random(format)
    for _ in range(150):
        damaged = bytearray(original)
        for _ in range(chance.choice([1, 4, 16])):
            damaged[chance.randrange(len(damaged))] = chance.randrange(256)
        with contextlib.suppress(PhotoError):
            process(bytes(damaged[: chance.randrange(len(damaged) // 2, len(damaged) + 1)]))
