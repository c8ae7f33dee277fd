def test_pages_render(portal_client, portal_order):
    r = portal_client.get("/portal/orders/")
    assert r.status_code == 200, r.content[:3000]
    r = portal_client.get(f"/portal/orders/{portal_order.pk}/help/")
    assert r.status_code == 200
    r = portal_client.get(f"/portal/orders/{portal_order.pk}/help/defect/")
    assert r.status_code == 200
    line = portal_order.lines.first()
    r = portal_client.get(f"/portal/orders/{portal_order.pk}/help/defect/?line={line.pk}")
    assert r.status_code == 302, r
    r = portal_client.get(r.url)
    assert r.status_code == 200
    r = portal_client.post(r.wsgi_request.get_full_path(), {"description": "Broken"})
    assert r.status_code == 302, r.content.decode()[-3000:]
    r = portal_client.get(r.url)
    assert r.status_code == 200
    print(r.content.decode())
    r = portal_client.get("/portal/cases/")
    assert r.status_code == 200
