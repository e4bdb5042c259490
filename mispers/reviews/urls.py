from django.urls import path

from . import ownership_views, views

app_name = "reviews"
urlpatterns = [
    path("my-work/", views.mine, name="mine"),
    path("supervision/", views.supervision, name="supervision"),
    path("unallocated/", ownership_views.unallocated, name="unallocated"),
    path("episodes/<uuid:pk>/allocate/", ownership_views.allocate, name="allocate"),
    path("episodes/<uuid:pk>/review/", views.review, name="review"),
    path("episodes/<uuid:pk>/handover/", views.handover, name="handover"),
    path("episodes/<uuid:pk>/actions/new/", views.action_new, name="action_new"),
    path("episodes/<uuid:pk>/enquiries/new/", views.enquiry, name="enquiry"),
    path("handovers/<uuid:pk>/", views.handover_decide, name="handover_decide"),
    path("actions/<uuid:pk>/assign/", views.action_assign_page, name="action_assign"),
    path("actions/<uuid:pk>/done/", views.action_complete_page, name="action_complete"),
    path("actions/<uuid:pk>/cancel/", views.action_cancel_page, name="action_cancel"),
    path("notifications/<int:pk>/acknowledge/", views.acknowledge, name="acknowledge"),
    path("notifications/acknowledge/", views.acknowledge_many, name="acknowledge_many"),
]
