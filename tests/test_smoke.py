def test_dashboard_and_residents_for_a_nurse(world, client_for):
    c = client_for(world.users["nurse"])
    r = c.get("/")
    assert r.status_code == 200
    assert "Oak Lodge" in r.content.decode()
    r = c.get("/residents/")
    assert "Evans" in r.content.decode()
    assert "Pritchard" not in r.content.decode()
    assert c.get(f"/residents/{world.foreign_resident.pk}/").status_code == 404
    r = c.get("/api/v1/residents/")
    assert r.status_code == 200, r.content
    assert [x["legal_family_name"] for x in r.json()["items"]] == ["Evans"]
