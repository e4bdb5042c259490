from django.urls import path

from . import views

app_name = "repeats"
urlpatterns = [
    path("repeat-children/", views.repeat_list, name="list"),
    path("strategy-meetings/", views.meetings_overview, name="meetings"),
    path("strategy-meetings/<uuid:pk>/", views.meeting_detail, name="meeting"),
    path("strategy-meeting-actions/<uuid:pk>/done/", views.meeting_action_complete,
         name="meeting_action_complete"),
    path("strategy-flags/<uuid:pk>/close/", views.flag_close, name="flag_close"),
    path("children/<uuid:pk>/strategy-meetings/", views.child_meetings, name="child_meetings"),
    path("children/<uuid:pk>/strategy-meetings/new/", views.meeting_new, name="meeting_new"),
    path("children/<uuid:pk>/trigger-plan/", views.trigger_plan, name="trigger_plan"),
    path("trigger-plans/<uuid:pk>/review/", views.plan_review, name="plan_review"),
    path("trigger-plans/<uuid:pk>/retire/", views.plan_retire, name="plan_retire"),
]
