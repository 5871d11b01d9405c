"""Coverage, repeat-participation, pre/post and indicator reports for analysts.

Every figure is an aggregation run by the database over the enrollments that match a
`ReportFilters`; the modules return plain dicts and lists that the dashboard, the exports and
the `coverage_report` command all share. The dashboard and the downloads read them from a
stored snapshot (`snapshots`) that is recomputed once a service has changed the data
(`freshness`).
"""
