"""Pages of medicines stock and the fridge log (namespace medication, names stock_* and fridge*)."""

from django.urls import path

from writecarenotes.medication import views_stock as v

urlpatterns = [
    path("stock/", v.index, name="stock_index"),
    path("stock/receive/", v.receive_page, name="stock_receive"),
    path("stock/reorder/", v.reorder_page, name="stock_reorder"),
    path("stock/settings/", v.settings_page, name="stock_settings"),
    path("stock/<int:item_id>/", v.item_page, name="stock_item"),
    path("stock/<int:item_id>/count/", v.count_page, name="stock_count"),
    path("stock/<int:item_id>/out/", v.out_page, name="stock_out"),
    path("fridges/", v.fridge_index, name="fridges"),
    path("fridges/add/", v.fridge_add, name="fridge_add"),
    path("fridges/<int:fridge_id>/", v.fridge_page, name="fridge"),
]
