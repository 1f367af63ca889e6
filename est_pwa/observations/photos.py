"""Uploaded photos made safe to store: verified, upright, without metadata, scaled, hashed."""

import contextlib
import hashlib
import io
import struct
from dataclasses import dataclass

import pillow_heif
from PIL import ExifTags, Image, ImageCms, ImageFile, ImageOps, UnidentifiedImageError

pillow_heif.register_heif_opener()

# Pillow picks the decoder from the bytes; anything it recognises outside this list is refused.
# A JPEG carrying extra pictures (MPO, from some phones) opens through the JPEG factory.
ACCEPTED_FORMATS = ("JPEG", "PNG", "WEBP", "HEIF")

# What Pillow and its plugins raise on damaged or truncated data while reading or decoding.
_DECODE_ERRORS = (OSError, SyntaxError, ValueError, EOFError, IndexError, struct.error)

# Modes Pillow resamples well; the others (palette, bilevel, 16-bit) are converted first.
_RESAMPLEABLE_MODES = ("RGB", "RGBA", "L", "LA", "CMYK")


class PhotoError(Exception):
    """A photo the server refuses, with a message for the user in Swedish and English."""

    status = 400
    message_sv = "Bilden kunde inte tas emot."
    message_en = "The image could not be accepted."

    def __init__(self, detail: str = "") -> None:
        super().__init__(detail or self.message_en)


class UnsupportedPhoto(PhotoError):
    """The bytes are not an image in a format the server takes."""

    status = 415
    message_sv = "Filen är inte en bild som kan tas emot. Använd JPEG, PNG, WebP eller HEIC."
    message_en = "The file is not an image that can be accepted. Use JPEG, PNG, WebP or HEIC."


class BrokenPhoto(PhotoError):
    """The image is damaged or incomplete."""

    status = 400
    message_sv = "Bilden är skadad eller ofullständig. Ta eller välj bilden igen."
    message_en = "The image is damaged or incomplete. Take or choose the image again."


class PhotoTooLarge(PhotoError):
    """The image has more pixels than the server will decode."""

    status = 400

    def __init__(self, max_pixels: int, detail: str = "") -> None:
        megapixels = f"{max_pixels / 1_000_000:g}"
        self.message_sv = (
            f"Bilden är för stor. Den får ha högst {megapixels.replace('.', ',')} megapixel."
        )
        self.message_en = f"The image is too large. It may have at most {megapixels} megapixels."
        super().__init__(detail)


@dataclass(frozen=True)
class ProcessedPhoto:
    """A photo ready to store: a JPEG and its thumbnail, with no metadata left in either."""

    jpeg: bytes
    thumbnail: bytes
    width: int
    height: int
    sha256: str
    gps: tuple[float, float] | None
    content_type: str = "image/jpeg"


def process(
    data: bytes,
    *,
    max_side: int = 2048,
    thumb_side: int = 320,
    quality: int = 82,
    max_pixels: int = 40_000_000,
) -> ProcessedPhoto:
    """Returns the upright, metadata-free, scaled JPEG and thumbnail made from uploaded bytes."""
    _verify(data, max_pixels)
    with _open(data, max_pixels) as original:
        _decode(original, max_side)
        gps = _gps(original)
        icc_profile = original.info.get("icc_profile")
        picture = _scaled(_resampleable(original), max_side)
        _turn_upright(picture)
        photo = _bare(_in_srgb(_flattened(picture), icc_profile))
    jpeg = _jpeg(photo, quality)
    return ProcessedPhoto(
        jpeg=jpeg,
        thumbnail=_jpeg(_scaled(photo, thumb_side), quality),
        width=photo.width,
        height=photo.height,
        sha256=hashlib.sha256(jpeg).hexdigest(),
        gps=gps,
    )


def _open(data: bytes, max_pixels: int) -> ImageFile.ImageFile:
    """Opens the image header only, refusing other formats and sizes before any pixel is decoded."""
    try:
        image = Image.open(io.BytesIO(data), formats=ACCEPTED_FORMATS)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        # Pillow's own, higher limit can fire first; it means the same to the user.
        raise PhotoTooLarge(max_pixels, str(exc)) from exc
    except UnidentifiedImageError as exc:
        raise UnsupportedPhoto(str(exc)) from exc
    except _DECODE_ERRORS as exc:
        raise BrokenPhoto(str(exc)) from exc
    if image.width * image.height > max_pixels:
        image.close()
        raise PhotoTooLarge(max_pixels, f"{image.width}x{image.height} pixels")
    return image


def _verify(data: bytes, max_pixels: int) -> None:
    """Checks the file's structure (PNG checksums, for one) without decoding it."""
    with _open(data, max_pixels) as image:
        try:
            image.verify()
        except _DECODE_ERRORS as exc:
            raise BrokenPhoto(str(exc)) from exc


def _decode(image: ImageFile.ImageFile, max_side: int) -> None:
    """Decodes the pixels, at a reduced JPEG scale when that still leaves enough of them."""
    # draft() picks the smallest DCT scale that still covers the target size, so no detail is lost.
    image.draft(None, _fitted(image.size, max_side))
    try:
        image.load()
    except _DECODE_ERRORS as exc:
        raise BrokenPhoto(str(exc)) from exc


def _gps(image: Image.Image) -> tuple[float, float] | None:
    """Returns the (lat, lon) the camera wrote into EXIF, or None without a usable fix."""
    try:
        gps = image.getexif().get_ifd(ExifTags.IFD.GPSInfo)
        lat = _degrees(gps[ExifTags.GPS.GPSLatitude], gps[ExifTags.GPS.GPSLatitudeRef], "S")
        lon = _degrees(gps[ExifTags.GPS.GPSLongitude], gps[ExifTags.GPS.GPSLongitudeRef], "W")
    except Exception:  # EXIF is untrusted and optional: broken means no position, not no photo
        return None
    # Some cameras write 0/0 without a fix; the comparisons also turn away NaN from x/0 rationals.
    if (lat, lon) == (0.0, 0.0) or not (-90 <= lat <= 90 and -180 <= lon <= 180):
        return None
    return lat, lon


def _degrees(dms: tuple, ref: str, negative_ref: str) -> float:
    """Returns signed decimal degrees from EXIF degrees, minutes and seconds."""
    degrees, minutes, seconds = (float(part) for part in dms)
    value = degrees + minutes / 60 + seconds / 3600
    return -value if ref.strip("\x00 ").upper() == negative_ref else value


def _resampleable(image: Image.Image) -> Image.Image:
    """Returns the image in a mode that resizes well, keeping any transparency."""
    if image.mode in _RESAMPLEABLE_MODES:
        return image
    if image.mode.startswith("I;16"):
        # Pillow converts 16-bit grey by clipping, which would turn most of the picture white.
        return image.point(lambda value: value / 256).convert("L")
    return image.convert("RGBA" if image.has_transparency_data else "RGB")


def _fitted(size: tuple[int, int], max_side: int) -> tuple[int, int]:
    """Returns the size scaled down so its longest side is at most max_side, never up."""
    width, height = size
    scale = max_side / max(width, height)
    if scale >= 1:
        return size
    return max(1, round(width * scale)), max(1, round(height * scale))


def _scaled(image: Image.Image, max_side: int) -> Image.Image:
    """Returns the image with its longest side at most max_side, never enlarged."""
    size = _fitted(image.size, max_side)
    if size == image.size:
        return image
    # A reducing gap of 3 halves the work on big reductions at no visible cost (Pillow's docs).
    return image.resize(size, Image.Resampling.LANCZOS, reducing_gap=3.0)


def _turn_upright(picture: Image.Image) -> None:
    """Turns the picture the way the camera was held, as its EXIF orientation says."""
    # Turning after scaling moves fewer pixels; the EXIF rode along in info through resize().
    # Damaged EXIF can make Pillow fail after the turn: the photo is still worth keeping.
    with contextlib.suppress(Exception):
        ImageOps.exif_transpose(picture, in_place=True)


def _flattened(image: Image.Image) -> Image.Image:
    """Returns the image with transparent parts laid on white, as a page would show them."""
    if image.mode not in ("RGBA", "LA"):
        return image
    page = Image.new(image.mode[:-1], image.size, "white")
    page.paste(image.convert(page.mode), mask=image.getchannel("A"))
    return page


def _in_srgb(image: Image.Image, icc_profile: bytes | None) -> Image.Image:
    """Returns the image in RGB, converted to sRGB so it looks right without its profile."""
    if icc_profile:
        try:
            source = ImageCms.ImageCmsProfile(io.BytesIO(icc_profile))
            srgb = ImageCms.createProfile("sRGB")
            return ImageCms.profileToProfile(image, source, srgb, outputMode="RGB")
        except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
            pass  # a broken or mismatched profile is no reason to refuse the photo
    return image if image.mode == "RGB" else image.convert("RGB")


def _bare(image: Image.Image) -> Image.Image:
    """Returns a copy holding pixels only, so no metadata in info can reach the saved file."""
    bare = Image.new(image.mode, image.size)
    bare.paste(image)
    return bare


def _jpeg(image: Image.Image, quality: int) -> bytes:
    """Returns the image encoded as an optimised baseline JPEG."""
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=quality, optimize=True)
    return buffer.getvalue()
