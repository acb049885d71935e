// jsonnet -S -m dashboards_out dashboards.jsonnet: one file per dashboard, byte for byte (jsonnet -m ends every file
// with a newline, so the file's own final newline is taken off here).
local rawDashboards = (import 'mixin.libsonnet').rawDashboards;
local withoutFinalNewline(text) =
  if std.endsWith(text, '\n') then std.substr(text, 0, std.length(text) - 1) else text;
{ [file]: withoutFinalNewline(rawDashboards[file]) for file in std.objectFields(rawDashboards) }
