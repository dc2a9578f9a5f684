using Herald.Server.Http;
using Herald.Storage;
using Microsoft.Extensions.Logging;

namespace Herald.Server.BusinessApi;

/// <summary>When each API key was last used, at most a minute behind (<see cref="UsageRecorder"/>).</summary>
public sealed class KeyUsage(BusinessStore businesses, TimeProvider time, ILogger<KeyUsage> log) : UsageRecorder(time, log)
{
    protected override Task Write(string id, DateTimeOffset at) => businesses.RecordKeyUsed(id, at);
}
