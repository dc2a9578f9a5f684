using Herald.Server.Http;
using Herald.Storage;
using Microsoft.Extensions.Logging;

namespace Herald.Server.Operator;

/// <summary>When each operator token was last used, at most a minute behind (<see cref="UsageRecorder"/>).</summary>
public sealed class TokenUsage(OperatorStore operators, TimeProvider time, ILogger<TokenUsage> log) : UsageRecorder(time, log)
{
    protected override Task Write(string id, DateTimeOffset at) => operators.RecordTokenUsed(id, at);
}
