from django.urls import path
from rest_framework.routers import DefaultRouter

from inventory import label_views, views

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("depots", views.DepotViewSet, basename="depot")
router.register("wagons", views.WagonViewSet, basename="wagon")
router.register("kit-types", views.KitTypeViewSet, basename="kit-type")
router.register("cases", views.CaseViewSet, basename="case")
router.register("items", views.ItemViewSet, basename="item")
router.register("consumables", views.ConsumableViewSet, basename="consumable")
router.register("standard-equipment", views.StandardEquipmentViewSet, basename="standard-equipment")

urlpatterns = [
    path("items/labels.pdf", label_views.ItemLabelsPdfView.as_view(), name="item-labels-pdf"),
    *router.urls,
]
