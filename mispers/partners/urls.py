from django.urls import path

from .views import (
    alerts,
    children,
    home,
    interviews,
    organisations,
    profile,
    report,
    sharing,
    team,
)

app_name = "partners"
urlpatterns = [
    path("", home.home, name="home"),
    path("children/<uuid:pk>/", children.child_detail, name="child"),
    path("children/<uuid:pk>/profile/", profile.profile_edit, name="profile_edit"),
    path("children/<uuid:pk>/report/", report.report_missing, name="report"),
    path("photos/<uuid:pk>/", profile.photo, name="photo"),
    # Police side (on the police child page): add or end a responsibility.
    path("police/children/<uuid:pk>/responsibilities/", children.responsibility_add,
         name="responsibility_add"),
    path("police/responsibilities/<uuid:pk>/end/", children.responsibility_end_view,
         name="responsibility_end"),
    # Working together: alerts, return-home interviews, the information-sharing log.
    path("alerts/", alerts.alerts, name="alerts"),
    path("alerts/<int:pk>/acknowledge/", alerts.alert_acknowledge, name="alert_acknowledge"),
    path("return-interviews/", interviews.interviews, name="interviews"),
    path("episodes/<uuid:pk>/return-interview/", interviews.interview, name="interview"),
    path("police/return-interviews/<uuid:pk>/provider/", interviews.commission,
         name="commission"),
    path("sharing/", sharing.sharing_log, name="sharing"),
    path("police/episodes/<uuid:pk>/release/", sharing.field_release_view, name="release"),
    # Managing partner organisations and their users (ADR 0013): police side, then the
    # partner administrator's own team.
    path("organisations/", organisations.organisation_list, name="organisations"),
    path("organisations/new/", organisations.organisation_new, name="organisation_new"),
    path("organisations/link/", organisations.organisation_link, name="organisation_link"),
    path("organisations/<uuid:pk>/", organisations.organisation_detail, name="organisation"),
    path("organisations/<uuid:pk>/users/new/", organisations.organisation_user_new,
         name="organisation_user_new"),
    path("organisations/<uuid:pk>/active/", organisations.organisation_active,
         name="organisation_active"),
    path("organisations/users/<uuid:pk>/active/", organisations.organisation_user_active,
         name="organisation_user_active"),
    # Links between organisations and forces need consent (ADR 0014).
    path("organisations/links/<uuid:pk>/decide/", organisations.link_decide,
         name="link_decide"),
    path("organisations/links/<uuid:pk>/end/", organisations.link_end, name="link_end"),
    path("team/", team.team, name="team"),
    path("team/new/", team.team_user_new, name="team_user_new"),
    path("team/<uuid:pk>/active/", team.team_user_active, name="team_user_active"),
    path("team/links/<uuid:pk>/decide/", team.team_link_decide, name="team_link_decide"),
    path("team/links/<uuid:pk>/end/", team.team_link_end, name="team_link_end"),
]
