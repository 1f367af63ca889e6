"""Areas: typed boundaries, GeoJSON import (page and command) and the area of each observation."""

import io
import json

import pytest
from flask_babel import force_locale

from est_pwa.areas.models import Area
from est_pwa.audit.models import AuditEvent
from est_pwa.extensions import db

from conftest import KUMLA, SQUARE

# A second square north-west of SQUARE, and the Kumla square as typed lines of "lat, lon".
NORTH = [[15.10, 59.15], [15.13, 59.15], [15.13, 59.17], [15.10, 59.17], [15.10, 59.15]]
SQUARE_LINES = "59.12, 15.13\n59.12, 15.16\n59.14, 15.16\n59.14, 15.13"
INSIDE, OUTSIDE = KUMLA, (59.20, 15.30)


@pytest.fixture(autouse=True)
def english(client):
    """Read the pages in English, so the assertions do not depend on the Swedish catalogue."""
    client.set_cookie("est_lang", "en")


@pytest.fixture
def coordinator(login_as):
    """Areas are managed by the safety coordinator (and the admin)."""
    return login_as("coordinator")


def text(response) -> str:
    return response.get_data(as_text=True)


def area_names() -> list[str]:
    return db.session.scalars(db.select(Area.name).order_by(Area.name)).all()


def area_of(observation) -> str | None:
    db.session.expire_all()
    return observation.area.name if observation.area else None


def feature(name, ring=SQUARE, **properties) -> dict:
    return {
        "type": "Feature",
        "properties": {"name": name, **properties} if name is not None else properties,
        "geometry": {"type": "Polygon", "coordinates": [ring]},
    }


def collection(*features) -> str:
    return json.dumps({"type": "FeatureCollection", "features": list(features)})


OPEN_RING = SQUARE[:-1] + [[15.131, 59.121]]
BOW_TIE = [[15.13, 59.12], [15.16, 59.14], [15.16, 59.12], [15.13, 59.14], [15.13, 59.12]]
OREBRO = [[15.19, 59.26], [15.23, 59.26], [15.23, 59.29], [15.19, 59.29], [15.19, 59.26]]
SWAPPED = [[lat, lon] for lon, lat in SQUARE]

# Files that must import nothing, with the reason the user is told.
BAD_FILES = [
    ("not json", b"{type: FeatureCollection", "The file is not valid JSON."),
    ("not utf-8", b"\xff\xfe\x00{", "The file is not valid JSON."),
    ("a list", b"[1, 2, 3]", "The file is not GeoJSON"),
    (
        "a point",
        json.dumps({"type": "Point", "coordinates": [15.14, 59.13]}).encode(),
        "The file is not GeoJSON",
    ),
    ("empty collection", collection().encode(), "The file holds no areas."),
    ("no name", collection(feature(None)).encode(), "Feature 1 has no name property."),
    (
        "second has no name",
        collection(feature("Centrum"), feature(None, NORTH)).encode(),
        "Feature 2 has no name property.",
    ),
    (
        "open ring",
        collection(feature("Centrum", OPEN_RING)).encode(),
        "Centrum: The polygon does not close",
    ),
    (
        "two points",
        collection(feature("Centrum", SQUARE[:2] + SQUARE[:1])).encode(),
        "Centrum: A boundary needs at least three distinct points.",
    ),
    (
        "self-crossing",
        collection(feature("Centrum", BOW_TIE)).encode(),
        "Centrum: The boundary crosses itself.",
    ),
    (
        "outside",
        collection(feature("Örebro", OREBRO)).encode(),
        "Örebro: The area lies outside the municipality",
    ),
    (
        "lat/lon swapped",
        collection(feature("Centrum", SWAPPED)).encode(),
        "Centrum: The area lies outside the municipality",
    ),
    (
        "line string",
        json.dumps(
            {
                "type": "Feature",
                "properties": {"name": "Storgatan"},
                "geometry": {"type": "LineString", "coordinates": SQUARE},
            }
        ).encode(),
        "Storgatan: An area must be a Polygon or a MultiPolygon.",
    ),
    (
        "no geometry",
        json.dumps(
            {"type": "Feature", "properties": {"name": "Centrum"}, "geometry": None}
        ).encode(),
        "Centrum: An area must be a Polygon or a MultiPolygon.",
    ),
    (
        "text coordinates",
        collection(feature("Centrum", [["15.13", "59.12"]] * 4)).encode(),
        "Centrum: Every point needs a longitude and a latitude.",
    ),
]


# Typed boundaries


def test_coordinator_creates_an_area_from_typed_points(post_form, coordinator, create_observation):
    inside = create_observation(lat=INSIDE[0], lon=INSIDE[1])
    outside = create_observation(lat=OUTSIDE[0], lon=OUTSIDE[1])
    response = post_form(
        "/admin/omraden/ny",
        {"name": "Centrum", "points": SQUARE_LINES, "description": "Torget", "prioritised": "y"},
        follow_redirects=True,
    )
    assert "The area Centrum was saved." in text(response)
    area = db.session.scalar(db.select(Area).filter_by(name="Centrum"))
    assert area.geometry == {"type": "Polygon", "coordinates": [SQUARE]}
    assert area.prioritised
    assert area.description == "Torget"
    assert area_of(inside) == "Centrum"
    assert area_of(outside) is None
    event = db.session.scalar(db.select(AuditEvent).filter_by(action="area.create"))
    assert event.actor_id == coordinator.id
    assert event.object_id == str(area.id)


@pytest.mark.parametrize(
    "points",
    [
        SQUARE_LINES + "\n59.12, 15.13",  # closed by hand
        SQUARE_LINES.replace(", ", ";"),  # semicolons
        "\n" + SQUARE_LINES.replace("\n", "\n\n") + "\n",  # blank lines
        SQUARE_LINES.replace(", ", " "),  # spaces
        SQUARE_LINES.replace(", ", " ").replace(".", ","),  # Swedish decimal commas
    ],
    ids=["closed", "semicolons", "blank lines", "spaces", "decimal commas"],
)
def test_typed_points_are_read_leniently(post_form, coordinator, points):
    response = post_form("/admin/omraden/ny", {"name": "Centrum", "points": points})
    assert response.status_code == 302
    area = db.session.scalar(db.select(Area).filter_by(name="Centrum"))
    assert area.geometry["coordinates"] == [SQUARE]


@pytest.mark.parametrize(
    ("points", "message"),
    [
        ("59.12\n59.12, 15.16\n59.14, 15.16", "Line 1 is not a point"),
        ("59.12, 15.13\n59.12, 15.16, 7\n59.14, 15.16", "Line 2 is not a point"),
        ("59.12, 15.13\nnorr, öst\n59.14, 15.16", "Line 2 is not a point"),
        ("59.12, 15.13\n59.12, 15.16", "A boundary needs at least three distinct points."),
        ("59.12, 15.13\n59.14, 15.16\n59.12, 15.16\n59.14, 15.13", "The boundary crosses itself."),
        ("59.27, 15.19\n59.27, 15.23\n59.29, 15.23", "The area lies outside the municipality"),
        ("15.13, 59.12\n15.16, 59.12\n15.16, 59.14", "The area lies outside the municipality"),
        ("", "This field is required."),
    ],
    ids=[
        "one number",
        "three numbers",
        "words",
        "two points",
        "self-crossing",
        "orebro",
        "swapped",
        "empty",
    ],
)
def test_bad_typed_points_are_refused(post_form, coordinator, points, message):
    response = post_form("/admin/omraden/ny", {"name": "Centrum", "points": points})
    assert response.status_code == 200
    assert message in text(response)
    assert area_names() == []


def test_area_needs_a_name(post_form, coordinator):
    response = post_form("/admin/omraden/ny", {"name": "", "points": SQUARE_LINES})
    assert "This field is required." in text(response)
    assert area_names() == []


def test_duplicate_area_name_is_refused(post_form, coordinator, create_area):
    create_area("Centrum", NORTH)
    response = post_form("/admin/omraden/ny", {"name": "Centrum", "points": SQUARE_LINES})
    assert response.status_code == 200
    assert "Another area already has this name." in text(response)
    assert area_names() == ["Centrum"]
    assert db.session.scalar(db.select(Area)).geometry["coordinates"] == [NORTH]


def test_edit_page_shows_the_boundary_as_text(client, coordinator, create_area):
    area = create_area("Centrum", SQUARE)
    html = text(client.get(f"/admin/omraden/{area.id}"))
    assert "59.120000, 15.130000\n59.120000, 15.160000" in html


def test_moving_an_area_reassigns_observations(
    post_form, coordinator, create_area, create_observation
):
    area = create_area("Centrum", SQUARE)
    observation = create_observation(lat=INSIDE[0], lon=INSIDE[1])
    db.session.expire_all()
    # Observations made before the area existed get it when the area is saved.
    north_lines = "59.15, 15.10\n59.15, 15.13\n59.17, 15.13\n59.17, 15.10"
    response = post_form(f"/admin/omraden/{area.id}", {"name": "Norr", "points": north_lines})
    assert response.status_code == 302
    assert area_of(observation) is None
    response = post_form(f"/admin/omraden/{area.id}", {"name": "Centrum", "points": SQUARE_LINES})
    assert area_of(observation) == "Centrum"
    actions = db.session.scalars(db.select(AuditEvent.action)).all()
    assert actions == ["area.update", "area.update"]


def test_new_area_takes_existing_observations(post_form, coordinator, create_observation):
    observation = create_observation(lat=INSIDE[0], lon=INSIDE[1])
    assert area_of(observation) is None
    post_form("/admin/omraden/ny", {"name": "Centrum", "points": SQUARE_LINES})
    assert area_of(observation) == "Centrum"


def test_deleting_an_area_frees_its_observations(
    post_form, coordinator, create_area, create_observation
):
    area = create_area("Centrum", SQUARE)
    observation = create_observation(lat=INSIDE[0], lon=INSIDE[1], area=area)
    response = post_form(
        f"/admin/omraden/{area.id}/radera",
        {},
        form_url=f"/admin/omraden/{area.id}",
        follow_redirects=True,
    )
    assert "The area Centrum was deleted." in text(response)
    assert area_names() == []
    assert area_of(observation) is None
    assert db.session.scalar(db.select(AuditEvent.action)) == "area.delete"


def test_deleting_an_area_hands_observations_to_an_overlapping_one(
    post_form, coordinator, create_area, create_observation
):
    big = [[15.0, 59.1], [15.3, 59.1], [15.3, 59.2], [15.0, 59.2], [15.0, 59.1]]
    create_area("Kumla tätort", big)
    centrum = create_area("Centrum", SQUARE, prioritised=True)
    observation = create_observation(lat=INSIDE[0], lon=INSIDE[1], area=centrum)
    post_form(f"/admin/omraden/{centrum.id}/radera", {}, form_url=f"/admin/omraden/{centrum.id}")
    assert area_of(observation) == "Kumla tätort"


def test_prioritised_area_wins_where_areas_overlap(
    post_form, coordinator, create_area, create_observation
):
    big = [[15.0, 59.1], [15.3, 59.1], [15.3, 59.2], [15.0, 59.2], [15.0, 59.1]]
    create_area("Kumla tätort", big)
    observation = create_observation(lat=INSIDE[0], lon=INSIDE[1])
    post_form("/admin/omraden/ny", {"name": "Centrum", "points": SQUARE_LINES})
    assert area_of(observation) == "Kumla tätort"
    centrum = db.session.scalar(db.select(Area).filter_by(name="Centrum"))
    post_form(
        f"/admin/omraden/{centrum.id}",
        {"name": "Centrum", "points": SQUARE_LINES, "prioritised": "y"},
    )
    assert area_of(observation) == "Centrum"


def test_areas_page_counts_observations_per_area(
    client, coordinator, create_area, create_observation
):
    area = create_area("Centrum", SQUARE)
    for _ in range(3):
        create_observation(lat=INSIDE[0], lon=INSIDE[1], area=area)
    create_observation(lat=OUTSIDE[0], lon=OUTSIDE[1])
    html = text(client.get("/admin/omraden/"))
    assert '<td class="num">3</td>' in html
    assert "Observations outside every area: 1" in html
    assert "data-areas=" in html


def test_unknown_area_is_404(client, coordinator):
    assert client.get("/admin/omraden/9999").status_code == 404


# GeoJSON import through the page


def upload(post_form, content: bytes, filename: str = "omraden.geojson"):
    return post_form(
        "/admin/omraden/import",
        {"file": (io.BytesIO(content), filename)},
        form_url="/admin/omraden/",
        content_type="multipart/form-data",
        follow_redirects=True,
    )


def test_geojson_upload_creates_areas(post_form, coordinator, create_observation):
    observation = create_observation(lat=INSIDE[0], lon=INSIDE[1])
    content = collection(feature("Centrum", SQUARE, prioritised=True), feature("Norr", NORTH))
    response = upload(post_form, content.encode())
    assert "2 areas created, 0 updated." in text(response)
    assert area_names() == ["Centrum", "Norr"]
    centrum = db.session.scalar(db.select(Area).filter_by(name="Centrum"))
    assert centrum.prioritised
    assert area_of(observation) == "Centrum"
    actions = db.session.scalars(db.select(AuditEvent.action)).all()
    assert actions == ["area.import", "area.import"]


def test_geojson_upload_updates_areas_by_name(
    post_form, coordinator, create_area, create_observation
):
    create_area("Centrum", NORTH)
    observation = create_observation(lat=INSIDE[0], lon=INSIDE[1])
    content = collection(feature("Centrum", SQUARE), feature("Norr", NORTH))
    response = upload(post_form, content.encode(), filename="omraden.json")
    assert "1 areas created, 1 updated." in text(response)
    assert area_names() == ["Centrum", "Norr"]
    assert area_of(observation) == "Centrum"


@pytest.mark.parametrize(
    "document",
    [
        {
            "type": "Feature",
            "properties": {"namn": "Centrum"},
            "geometry": {"type": "Polygon", "coordinates": [SQUARE]},
        },
        {
            "type": "Feature",
            "properties": {"name": "Centrum"},
            "geometry": {"type": "MultiPolygon", "coordinates": [[SQUARE], [NORTH]]},
        },
    ],
    ids=["single feature with namn", "multipolygon"],
)
def test_geojson_upload_accepts_other_shapes(post_form, coordinator, create_observation, document):
    observation = create_observation(lat=INSIDE[0], lon=INSIDE[1])
    response = upload(post_form, json.dumps(document).encode())
    assert "1 areas created, 0 updated." in text(response)
    assert area_of(observation) == "Centrum"


@pytest.mark.parametrize(
    ("content", "message"), [row[1:] for row in BAD_FILES], ids=[row[0] for row in BAD_FILES]
)
def test_bad_geojson_upload_imports_nothing(post_form, coordinator, create_area, content, message):
    create_area("Centrum", NORTH)
    response = upload(post_form, content)
    assert response.status_code == 200
    assert "Nothing was imported: " + message in text(response)
    assert area_names() == ["Centrum"]
    assert db.session.scalar(db.select(Area)).geometry["coordinates"] == [NORTH]
    assert db.session.scalar(db.select(AuditEvent)) is None


@pytest.mark.parametrize("filename", ["omraden.txt", "omraden.kml", "omraden.geojson.exe", "x"])
def test_geojson_upload_of_wrong_file_type_is_refused(post_form, coordinator, filename):
    response = upload(post_form, collection(feature("Centrum")).encode(), filename=filename)
    assert "Choose a .geojson or .json file." in text(response)
    assert area_names() == []


def test_geojson_upload_without_a_file_is_refused(post_form, coordinator):
    response = post_form(
        "/admin/omraden/import", {}, form_url="/admin/omraden/", follow_redirects=True
    )
    assert "This field is required." in text(response)
    assert area_names() == []


def test_geojson_upload_too_large_is_refused(app, post_form, coordinator):
    app.config["MAX_CONTENT_LENGTH"] = 1000
    response = post_form(
        "/admin/omraden/import",
        {"file": (io.BytesIO(b" " * 2000), "omraden.geojson")},
        form_url="/admin/omraden/",
        content_type="multipart/form-data",
    )
    assert response.status_code == 413
    assert "The upload is too large." in text(response)
    assert area_names() == []


# GeoJSON import through the command


def import_file(runner, tmp_path, content: bytes):
    path = tmp_path / "omraden.geojson"
    path.write_bytes(content)
    with force_locale("en"):
        result = runner.invoke(args=["est", "import-areas", str(path)])
    db.session.rollback()  # what the command did not commit is gone when its process ends
    return path, result


def test_import_command_creates_and_updates_areas(
    runner, tmp_path, create_area, create_observation
):
    create_area("Centrum", NORTH)
    observation = create_observation(lat=INSIDE[0], lon=INSIDE[1])
    content = collection(feature("Centrum", SQUARE), feature("Norr", NORTH))
    path, result = import_file(runner, tmp_path, content.encode())
    assert result.exit_code == 0, result.output
    assert result.output == f"Imported {path}: 1 areas created, 1 updated.\n"
    assert area_names() == ["Centrum", "Norr"]
    assert area_of(observation) == "Centrum"
    events = db.session.scalars(db.select(AuditEvent)).all()
    assert [(e.action, e.actor_id) for e in events] == [("area.import", None)] * 2


@pytest.mark.parametrize(
    ("content", "message"), [row[1:] for row in BAD_FILES], ids=[row[0] for row in BAD_FILES]
)
def test_import_command_refuses_bad_files(runner, tmp_path, create_area, content, message):
    create_area("Centrum", NORTH)
    _, result = import_file(runner, tmp_path, content)
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: nothing was imported: " + message)
    assert result.stdout == ""
    assert area_names() == ["Centrum"]
    assert db.session.scalar(db.select(Area)).geometry["coordinates"] == [NORTH]


def test_import_command_reports_a_missing_file(runner, tmp_path):
    missing = tmp_path / "saknas.geojson"
    result = runner.invoke(args=["est", "import-areas", str(missing)])
    assert result.exit_code == 1
    assert result.stderr == f"Error: cannot read {missing}: No such file or directory\n"
    assert area_names() == []
