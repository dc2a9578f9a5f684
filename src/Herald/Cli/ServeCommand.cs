using System.CommandLine;
using Herald.Server.Hosting;
using Herald.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Hosting;

namespace Herald.Cli;

/// <summary><c>herald serve</c>: the server itself.</summary>
internal static class ServeCommand
{
    public static Command Build()
    {
        var urls = new Option<string>("--urls") { Description = "Where to listen (several separated by ';')", DefaultValueFactory = _ => "http://localhost:8080" };
        var data = new Option<string>("--data") { Description = "Data directory (database, content key)", DefaultValueFactory = _ => "./herald-data" };
        var dev = new Option<bool>("--dev")
        {
            Description = "Development mode: sign-in codes go to the log when no SMS hook is set, and callbacks and push endpoints may be on localhost",
        };

        var serve = new Command("serve", "Run Herald: the APIs, the device gateway, callbacks and background work, on embedded SQLite") { urls, data, dev };
        serve.SetAction(async (parsed, cancel) =>
        {
            var settings = new List<string> { $"--Herald:DataDirectory={parsed.GetValue(data)}", $"--urls={parsed.GetValue(urls)}" };
            if (parsed.GetValue(dev))
                settings.AddRange(["--environment=Development", "--Herald:Webhooks:AllowPrivateNetworks=true", "--Herald:Push:AllowPrivateNetworks=true"]);
            WebApplication app;
            try
            {
                app = HeraldServer.Build([.. settings]);
            }
            catch (IncompatibleDatabaseException ex)
            {
                // A database newer than this program, or a changed migration: the operator's decision, not a crash.
                Console.Error.WriteLine("error: " + ex.Message);
                return ExitCodes.Refused;
            }
            await app.StartAsync(cancel);
            await app.WaitForShutdownAsync(cancel);
            return 0;
        });
        return serve;
    }
}
