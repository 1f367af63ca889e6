"""Photo uploads through the sync API and photo serving."""

import io
import uuid

import pytest
from PIL import Image

from est_pwa.extensions import db
from est_pwa.observations.models import Photo


def jpeg_with_gps(size=(3000, 2000)) -> bytes:
    """Return a JPEG whose EXIF carries a camera model and a GPS position."""
    image = Image.new("RGB", size, (180, 40, 40))
    exif = Image.Exif()
    exif[0x0110] = "Secret Phone 12"
    exif.get_ifd(0x8825).update({1: "N", 2: (59.0, 7.0, 40.0), 3: "E", 4: (15.0, 8.0, 36.0)})
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif)
    return buffer.getvalue()


@pytest.fixture
def reporter(login_as):
    return login_as("reporter")


@pytest.fixture
def observation(reporter, create_observation):
    return create_observation(reporter_id=reporter.id, organisation_id=reporter.organisation_id)


@pytest.fixture
def put_photo(client, observation):
    def put(body: bytes, photo_id=None, observation_id=None, content_type="image/jpeg"):
        token = client.get("/api/v1/session").get_json()["csrf_token"]
        target = observation_id or observation.id
        url = f"/api/v1/observations/{target}/photos/{photo_id or uuid.uuid4()}"
        headers = {"X-CSRFToken": token, "Content-Type": content_type}
        return client.put(url, data=body, headers=headers)

    return put


def photo_rows() -> int:
    return db.session.scalar(db.select(db.func.count()).select_from(Photo))


def test_photo_is_stored_scaled_and_without_metadata(put_photo):
    photo_id = uuid.uuid4()
    response = put_photo(jpeg_with_gps(), photo_id)
    assert response.status_code == 201
    body = response.get_json()
    assert body["id"] == str(photo_id)
    assert (body["width"], body["height"]) == (2048, 1365)
    stored = db.session.get(Photo, photo_id)
    assert b"Secret Phone" not in stored.data
    assert not Image.open(io.BytesIO(stored.data)).getexif()


def test_replayed_photo_answers_200_and_is_stored_once(put_photo):
    photo_id, body = uuid.uuid4(), jpeg_with_gps((800, 600))
    assert put_photo(body, photo_id).status_code == 201
    assert put_photo(body, photo_id).status_code == 200
    assert photo_rows() == 1


def test_same_photo_id_with_other_bytes_answers_409(put_photo):
    photo_id = uuid.uuid4()
    put_photo(jpeg_with_gps((800, 600)), photo_id)
    assert put_photo(jpeg_with_gps((900, 600)), photo_id).status_code == 409
    assert photo_rows() == 1


def _truncated() -> bytes:
    return jpeg_with_gps((800, 600))[:2000]


@pytest.mark.parametrize(
    ("body", "status"),
    [
        (b"", 400),
        (b"hello, this is not an image", 415),
        (b"GIF89a" + b"\x00" * 100, 415),
        (_truncated(), 400),
    ],
)
def test_bad_photos_are_refused_with_a_swedish_message(put_photo, body, status):
    response = put_photo(body)
    assert response.status_code == status
    assert response.get_json()["error"]
    assert photo_rows() == 0


def test_oversize_body_answers_413(app, put_photo):
    app.config["PHOTO_MAX_BYTES"] = 1000
    assert put_photo(jpeg_with_gps((800, 600))).status_code == 413
    assert photo_rows() == 0


def test_request_over_the_upload_limit_answers_413_json(app, put_photo):
    app.config["MAX_CONTENT_LENGTH"] = 1000
    response = put_photo(jpeg_with_gps((800, 600)))
    assert response.status_code == 413
    assert response.is_json


def test_at_most_five_photos(put_photo):
    small = jpeg_with_gps((64, 48))
    for _ in range(5):
        assert put_photo(small).status_code == 201
    assert put_photo(small).status_code == 400
    assert photo_rows() == 5


def test_photo_of_someone_elses_observation_is_404(put_photo, create_observation):
    foreign = create_observation()
    assert put_photo(jpeg_with_gps((64, 48)), observation_id=foreign.id).status_code == 404


def test_photo_is_served_privately_with_an_etag(client, put_photo, observation):
    body = put_photo(jpeg_with_gps((800, 600))).get_json()
    response = client.get(body["url"])
    assert response.status_code == 200
    assert response.mimetype == "image/jpeg"
    assert "private" in response.headers["Cache-Control"]
    again = client.get(body["url"], headers={"If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304
    thumb = Image.open(io.BytesIO(client.get(body["thumbnail_url"]).data))
    assert max(thumb.size) <= 320


def test_photo_is_hidden_from_other_organisations(client, put_photo, auth, create_user):
    url = put_photo(jpeg_with_gps((64, 48))).get_json()["url"]
    auth.logout()
    assert client.get(url).status_code == 302
    other = create_user("reporter")
    auth.login(other.email)
    assert client.get(url).status_code == 404
    auth.logout()
    coordinator = create_user("coordinator")
    auth.login(coordinator.email)
    assert client.get(url).status_code == 200
