"""The observation map: the page, and the API that sends points or counts per cell for a view."""

import re
from datetime import timedelta

import pytest

from est_pwa.clock import now_utc
from est_pwa.permissions import ROLE_ACTIONS

from conftest import KUMLA

URL = "/api/v1/map/observations"
# Kumla and its surroundings (west, south, east, north) as a street-level and a wide view.
KUMLA_BOX = "15.10,59.10,15.20,59.16"
STREET = {"bbox": KUMLA_BOX, "zoom": "16"}


def view(**changes) -> dict:
    return {**STREET, **changes}


@pytest.fixture
def observe(create_observation, create_organisation):
    """Return a factory of observations by an organisation of their own unless given one."""
    organisation = create_organisation("Kumlabostäder", "housing_company")

    def create(lat=KUMLA[0], lon=KUMLA[1], **fields):
        return create_observation(lat=lat, lon=lon, organisation=organisation, **fields)

    create.organisation = organisation
    return create


def test_logged_out_gets_401_json_and_the_page_sends_to_log_in(client):
    response = client.get(URL, query_string=STREET)
    assert response.status_code == 401
    assert response.get_json()["error"]
    assert client.get("/karta").headers["Location"].startswith("/login")


def test_a_role_without_the_map_gets_403(client, login_as, monkeypatch):
    # Every role has the map today; this guards the check for a role that loses it.
    monkeypatch.setitem(ROLE_ACTIONS, "viewer", ROLE_ACTIONS["viewer"] - {"map.view"})
    login_as("viewer")
    assert client.get(URL, query_string=STREET).status_code == 403
    assert client.get("/karta").status_code == 403


@pytest.mark.parametrize(
    "args",
    [
        {"zoom": "12"},
        {"bbox": "15.1,59.1,15.2", "zoom": "12"},
        {"bbox": "15.1,59.1,15.2,norr", "zoom": "12"},
        {"bbox": "15.2,59.1,15.1,59.2", "zoom": "12"},
        {"bbox": "15.1,59.2,15.2,59.1", "zoom": "12"},
        {"bbox": "15.1,59.1,15.1,59.2", "zoom": "12"},
        {"bbox": "-181,59.1,15.2,59.2", "zoom": "12"},
        {"bbox": "15.1,59.1,15.2,91", "zoom": "12"},
        {"bbox": "nan,59.1,15.2,59.2", "zoom": "12"},
        {"bbox": "15.1,59.1,inf,59.2", "zoom": "12"},
        {"bbox": KUMLA_BOX},
        {"bbox": KUMLA_BOX, "zoom": "-1"},
        {"bbox": KUMLA_BOX, "zoom": "21"},
        {"bbox": KUMLA_BOX, "zoom": "12.5"},
        {"bbox": KUMLA_BOX, "zoom": "nära"},
        {"bbox": KUMLA_BOX, "zoom": "²"},
    ],
)
def test_a_bad_view_is_refused_with_a_message(client, login_as, observe, args):
    observe()
    login_as("coordinator")
    response = client.get(URL, query_string=args)
    assert response.status_code == 400
    assert response.get_json()["error"]


def test_few_observations_come_as_points_with_their_page(client, login_as, observe):
    inside = observe(lat=59.13, lon=15.14, status="granskad")
    observe(lat=59.30, lon=15.14)  # north of the view
    login_as("coordinator")
    body = client.get(URL, query_string=STREET).get_json()
    assert body["kind"] == "points" and body["total"] == 1
    [point] = body["points"]
    assert point["id"] == str(inside.id)
    assert (point["lat"], point["lon"]) == (59.13, 15.14)
    assert (point["category"], point["status"]) == ("SKADEGORELSE", "granskad")
    assert point["status_label"] == "Granskad"
    assert point["url"] == f"/observationer/{inside.id}"
    assert client.get(point["url"]).status_code == 200


def test_points_come_latest_first(client, login_as, observe):
    old = observe(occurred_at=now_utc() - timedelta(days=3))
    new = observe(occurred_at=now_utc() - timedelta(hours=1))
    login_as("coordinator")
    points = client.get(URL, query_string=STREET).get_json()["points"]
    assert [p["id"] for p in points] == [str(new.id), str(old.id)]


def test_more_than_the_limit_come_as_counts_per_cell(app, client, login_as, observe):
    app.config["MAP_POINT_LIMIT"] = 2
    for lat in (59.1310, 59.1311, 59.1500):  # the first two well inside one cell
        observe(lat=lat, lon=15.1400)
    login_as("coordinator")
    body = client.get(URL, query_string=view(zoom="13")).get_json()
    assert body["kind"] == "cells" and body["total"] == 3
    assert "points" not in body
    near, far = sorted(body["cells"], key=lambda cell: -cell["count"])
    assert near == {"lat": 59.13105, "lon": 15.14, "count": 2}  # at its points' mean
    assert far == {"lat": 59.15, "lon": 15.14, "count": 1}


def test_counts_name_the_areas_they_fall_in(app, client, login_as, observe, create_area):
    app.config["MAP_POINT_LIMIT"] = 1
    centre = create_area("Centrum")
    observe(lat=59.13, lon=15.14, area=centre)
    observe(lat=59.131, lon=15.141, area=centre)
    observe(lat=59.105, lon=15.11)
    login_as("coordinator")
    body = client.get(URL, query_string=STREET).get_json()
    assert body["areas"] == [
        {"id": centre.id, "name": "Centrum", "count": 2},
        {"id": None, "name": None, "count": 1},
    ]


def test_cells_count_right_on_every_side_of_the_equator_and_greenwich(
    app, client, login_as, observe
):
    app.config["MAP_POINT_LIMIT"] = 1
    for lat, lon in ((-33.9, -70.6), (-33.9001, -70.6001), (51.48, -0.001), (51.48, 0.001)):
        observe(lat=lat, lon=lon)
    login_as("coordinator")
    body = client.get(URL, query_string={"bbox": "-180,-90,180,90", "zoom": "12"}).get_json()
    counts = sorted(cell["count"] for cell in body["cells"])
    assert body["total"] == 4 and counts == [1, 1, 2]


def test_the_filter_is_honoured(client, login_as, observe, create_category):
    graffiti = create_category("SKADEGORELSE")
    litter = observe(category=create_category("NEDSKRAPNING"))
    observe(category=graffiti, status="avslutad")
    login_as("coordinator")
    body = client.get(URL, query_string=view(category="NEDSKRAPNING")).get_json()
    assert [p["id"] for p in body["points"]] == [str(litter.id)]
    body = client.get(URL, query_string=view(status="avslutad")).get_json()
    assert [p["status"] for p in body["points"]] == ["avslutad"]


@pytest.mark.parametrize(
    ("role", "sees_others"),
    [("admin", True), ("coordinator", True), ("police", True), ("reporter", False)],
)
def test_who_sees_which_points(client, login_as, observe, create_observation, role, sees_others):
    own = observe()
    other = create_observation(organisation=None)  # a public submission
    login_as(role, organisation=observe.organisation)
    body = client.get(URL, query_string=STREET).get_json()
    expected = {str(own.id), str(other.id)} if sees_others else {str(own.id)}
    assert body["kind"] == "points"
    assert {point["id"] for point in body["points"]} == expected


def test_a_reporter_counts_only_their_organisations_observations(
    app, client, login_as, observe, create_observation
):
    app.config["MAP_POINT_LIMIT"] = 0
    observe()
    create_observation(organisation=None)
    login_as("reporter", organisation=observe.organisation)
    body = client.get(URL, query_string=STREET).get_json()
    assert body["kind"] == "cells" and body["total"] == 1


def test_a_viewer_gets_counts_of_everything_and_never_single_observations(
    client, login_as, observe, create_observation
):
    # ~50 m apart, inside one ~120 m cell of the fixed grid.
    observe(lat=59.1303, lon=15.1400)
    create_observation(lat=59.1307, lon=15.1404, organisation=None)
    login_as("viewer")
    body = client.get(URL, query_string=view(zoom="20")).get_json()
    assert body["kind"] == "cells" and body["total"] == 2
    # Cells stay ~120 m wide however far a viewer zooms in: both share one.
    assert [cell["count"] for cell in body["cells"]] == [2]
    assert "points" not in body and "id" not in str(body["cells"])


def test_a_viewers_text_search_counts_everything(client, login_as, observe):
    observe(description="Klotter på skolan")
    observe(description="Trasig lampa")
    login_as("viewer")
    body = client.get(URL, query_string=view(q="skolan")).get_json()
    assert body["total"] == 2
    page = client.get("/karta?q=skolan").get_data(as_text=True)
    assert "disabled" in re.search(r'<input[^>]*name="q"[^>]*>', page).group()


def test_the_page_shows_the_filter_beside_the_map(client, login_as, observe, create_category):
    create_category("NEDSKRAPNING")
    login_as("coordinator")
    response = client.get("/karta?category=NEDSKRAPNING")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'role="search"' in page and 'action="/karta"' in page
    assert '<option selected value="NEDSKRAPNING">' in page
    assert 'data-observations-url="/api/v1/map/observations"' in page
    assert 'aria-live="polite"' in page and "data-map-list" in page


def test_the_menu_links_to_the_map(client, login_as):
    login_as("viewer")
    assert 'href="/karta"' in client.get("/").get_data(as_text=True)
