from django.urls import path

from studies import reading_views, report_views, views

app_name = "studies"
urlpatterns = [
    path("", views.researcher_home, name="researcher-home"),
    path("<uuid:public_id>/", views.design, name="design"),
    path("<uuid:public_id>/state/", views.change_state, name="state"),
    path("<uuid:public_id>/pool/", views.pool, name="pool"),
    path("<uuid:public_id>/pool/generate/", views.generate_source, name="generate-source"),
    path("<uuid:public_id>/audit/", views.audit, name="audit"),
    path("<uuid:public_id>/audit/acknowledge/", views.acknowledge_audit, name="audit-acknowledge"),
    path("<uuid:public_id>/readers/", views.readers, name="readers"),
    path("<uuid:public_id>/report/", report_views.report, name="report"),
    path("<uuid:public_id>/report/run/", report_views.run_report, name="report-run"),
    path("<uuid:public_id>/report/report.pdf", report_views.report_pdf, name="report-pdf"),
    path("<uuid:public_id>/report/plots/<slug:name>.png", report_views.report_plot, name="report-plot"),
    path("<uuid:public_id>/report/ratings.csv", report_views.export, {"kind": "ratings"}, name="export-ratings"),
    path("<uuid:public_id>/report/ratings.imrmc", report_views.export, {"kind": "imrmc"}, name="export-imrmc"),
    path("<uuid:public_id>/report/analysis.json", report_views.export, {"kind": "summary"}, name="export-summary"),
    path("reading/", reading_views.reader_home, name="reader-home"),
    path("reading/<uuid:public_id>/", reading_views.read, name="read"),
    path("reading/<uuid:public_id>/image/<str:reader_token>", reading_views.image, name="reader-image"),
]
