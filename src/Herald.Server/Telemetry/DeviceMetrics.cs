using System.Diagnostics.Metrics;
using Herald.Core.Telemetry;

namespace Herald.Server.Telemetry;

/// <summary>Device WebSockets connected to this node.</summary>
public static class DeviceMetrics
{
    private static readonly UpDownCounter<int> s_connected = HeraldTelemetry.Meter.CreateUpDownCounter<int>(
        "herald.devices.connected", "{connection}", "Device WebSockets signed in and connected to this node");

    public static void Connected() => s_connected.Add(1);

    public static void Disconnected() => s_connected.Add(-1);
}
