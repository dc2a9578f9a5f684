using System.Collections;
using System.Diagnostics;
using System.Runtime.InteropServices;
using Microsoft.Playwright;

namespace Herald.Server.Tests.Infrastructure;

/// <summary>
/// A desktop session of its own for a headed browser: a virtual X display (Debian's Xvfb) and a private D-Bus session
/// bus (dbus-daemon), both installed by test.sh. Nothing of the machine's own session is touched: programs started with
/// <see cref="Environment"/> draw on this display and talk on this bus. Disposing ends both.
/// </summary>
public sealed class Desktop : IAsyncDisposable
{
    private readonly Process _display;
    private readonly Process _bus;
    private readonly List<Process> _programs = [];

    private Desktop(Process display, string displayName, Process bus, string busAddress)
    {
        _display = display;
        _bus = bus;
        DisplayName = displayName;
        BusAddress = busAddress;
    }

    /// <summary>The X display, such as <c>:94</c>.</summary>
    public string DisplayName { get; }

    /// <summary>The session bus's address (DBUS_SESSION_BUS_ADDRESS).</summary>
    public string BusAddress { get; }

    /// <summary>This process's environment with DISPLAY and DBUS_SESSION_BUS_ADDRESS pointing here.</summary>
    public IReadOnlyDictionary<string, string> Environment
    {
        get
        {
            var variables = System.Environment.GetEnvironmentVariables().Cast<DictionaryEntry>()
                .ToDictionary(v => (string)v.Key, v => (string?)v.Value ?? "");
            variables["DISPLAY"] = DisplayName;
            variables["DBUS_SESSION_BUS_ADDRESS"] = BusAddress;
            variables.Remove("WAYLAND_DISPLAY");
            return variables;
        }
    }

    /// <summary>Starts a program on this desktop (a notification daemon, say); it is ended with the desktop.</summary>
    public void Launch(string file, params string[] arguments)
    {
        var process = Started(file, Environment, arguments);
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        lock (_programs)
            _programs.Add(process);
    }

    /// <summary>Runs a command on this desktop to its end; its standard output, or an exception with what it said.</summary>
    public async Task<string> Run(string file, params string[] arguments)
    {
        using var process = Started(file, Environment, arguments);
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{file} {string.Join(' ', arguments)} exited with {process.ExitCode}: {await error}");
        return await output;
    }

    /// <summary>
    /// A Chromium of its own with windows on this desktop and an ordinary profile in <paramref name="userDataDirectory"/>.
    /// Not an incognito-like context (<see cref="Browser.NewContext"/>): Chromium delivers a desktop notification's click
    /// to the profile by name, and a context made over DevTools is not one it finds, so the click would reach no worker.
    /// </summary>
    public Task<IBrowserContext> Chromium(IPlaywright playwright, Uri baseAddress, string userDataDirectory)
    {
        var options = Browser.PersistentContextOptions(baseAddress);
        options.Headless = false;
        options.Env = Environment;
        return playwright.Chromium.LaunchPersistentContextAsync(userDataDirectory, options);
    }

    public static async Task<Desktop> Start(int width = 1280, int height = 800)
    {
        var (display, name) = await StartDisplay(width, height);
        try
        {
            var (bus, address) = await StartBus();
            return new Desktop(display, name, bus, address);
        }
        catch
        {
            End(display);
            throw;
        }
    }

    /// <summary>
    /// Xvfb on the first free display from :90 on. Other test runs on the machine may hold some; Xvfb refuses a display
    /// whose lock is taken and exits, so the next number is tried.
    /// </summary>
    private static async Task<(Process, string)> StartDisplay(int width, int height)
    {
        for (var number = 90 + Random.Shared.Next(100); number < 400; number++)
        {
            if (File.Exists($"/tmp/.X{number}-lock") || File.Exists($"/tmp/.X11-unix/X{number}"))
                continue;
            var process = Started("/usr/bin/Xvfb", null, $":{number}", "-screen", "0", $"{width}x{height}x24", "-nolisten", "tcp");
            process.OutputDataReceived += (_, _) => { };
            process.ErrorDataReceived += (_, _) => { };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            var socket = $"/tmp/.X11-unix/X{number}";
            await Wait.Until(() => process.HasExited || File.Exists(socket), TimeSpan.FromSeconds(30), $"Xvfb on :{number}");
            if (!process.HasExited)
                return (process, $":{number}");
        }
        throw new InvalidOperationException("No free X display for Xvfb between :90 and :399.");
    }

    /// <summary>A session bus that prints its address once it listens.</summary>
    private static async Task<(Process, string)> StartBus()
    {
        var process = Started("/usr/bin/dbus-daemon", null, "--session", "--nofork", "--print-address=1");
        process.ErrorDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        var address = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30));
        if (string.IsNullOrEmpty(address))
        {
            End(process);
            throw new InvalidOperationException("dbus-daemon printed no address.");
        }
        return (process, address.Trim());
    }

    private static Process Started(string file, IReadOnlyDictionary<string, string>? environment, params string[] arguments)
    {
        if (!File.Exists(file))
            throw new InvalidOperationException($"{file} is missing: test.sh installs it.");
        var start = new ProcessStartInfo(file) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
            start.Environment[name] = value;
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        return Process.Start(start)!;
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Signal(int pid, int signal);

    private const int SIGTERM = 15;

    /// <summary>Ends a process with SIGTERM, on which Xvfb removes its lock and socket, and kills it if it lingers.</summary>
    private static void End(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                if (Signal(process.Id, SIGTERM) != 0 || !process.WaitForExit(10_000))
                    process.Kill();
            }
        }
        catch (InvalidOperationException)
        {
            // already gone
        }
        process.Dispose();
    }

    public ValueTask DisposeAsync()
    {
        lock (_programs)
            _programs.ForEach(End);
        End(_bus);
        End(_display);
        return ValueTask.CompletedTask;
    }
}
