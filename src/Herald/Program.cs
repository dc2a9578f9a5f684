using System.CommandLine;
using Herald.Server.Hosting;
using Microsoft.Extensions.Hosting;

var urls = new Option<string?>("--urls") { Description = "Where to listen, e.g. http://127.0.0.1:8080 (several separated by ';')" };
var data = new Option<string>("--data") { Description = "Data directory (database, content key)", DefaultValueFactory = _ => "./herald-data" };
var dev = new Option<bool>("--dev") { Description = "Development mode: sign-in codes go to the log when no SMS hook is set" };

var serve = new Command("serve", "Run Herald: the APIs, the device gateway, callbacks and background work, on embedded SQLite") { urls, data, dev };
serve.SetAction(async (parsed, cancel) =>
{
    var settings = new List<string> { $"--Herald:DataDirectory={parsed.GetValue(data)}" };
    if (parsed.GetValue(urls) is { } u)
        settings.Add($"--urls={u}");
    if (parsed.GetValue(dev))
        settings.Add("--environment=Development");
    var app = HeraldServer.Build([.. settings]);
    await app.StartAsync(cancel);
    await app.WaitForShutdownAsync(cancel);
    return 0;
});

var root = new RootCommand("Herald: self-hosted business messaging") { serve };
return await root.Parse(args).InvokeAsync();
