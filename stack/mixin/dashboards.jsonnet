// jsonnet -S -m dashboards_out dashboards.jsonnet: one file per dashboard, byte for byte (jsonnet -m ends every file
// with a newline, so the file's own final newline is taken off here).
local rawDashboards = (import 'mixin.libsonnet').rawDashboards;
{ [file]: std.rstripChars(rawDashboards[file], '\n') for file in std.objectFields(rawDashboards) }
