using Herald.Server.Tests.Infrastructure;

namespace Herald.Server.Tests.Messenger;

/// <summary>
/// The Messenger's browser tests share one Chromium and run one after another: each test still gets its own server
/// and browser profile, but two cores are not asked to run several browsers at once.
/// </summary>
[CollectionDefinition(Name)]
public sealed class MessengerCollection : ICollectionFixture<Browser>
{
    public const string Name = "Messenger";
}
