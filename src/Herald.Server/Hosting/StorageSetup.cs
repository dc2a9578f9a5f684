using Herald.Core.Privacy;
using Herald.Server.Http;
using Herald.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Herald.Server.Hosting;

/// <summary>The database (SQLite or PostgreSQL), its single writer, the stores, and the content key that encrypts what waits.</summary>
public static class StorageSetup
{
    public static IServiceCollection AddHeraldStorage(this IServiceCollection services)
    {
        services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<HeraldOptions>>().Value;
            Directory.CreateDirectory(options.DataDirectory);
            return new ContentKeyMaterial(ContentKey.LoadOrCreate(options.Privacy.KeyFile ?? Path.Combine(options.DataDirectory, "content.key")));
        });
        services.AddSingleton(sp => new ContentCipher(sp.GetRequiredService<ContentKeyMaterial>().ContentKey));
        services.AddSingleton(sp => StorageProvider.Create(sp.GetRequiredService<IOptions<HeraldOptions>>().Value));
        services.AddSingleton<StoreHealth>();
        services.AddSingleton<Writer>();
        services.AddExceptionHandler<StoreFaultHandler>();
        services.AddSingleton<BusinessStore>();
        services.AddSingleton<OperatorStore>();
        services.AddSingleton<AccountStore>();
        services.AddSingleton<ConsumerStore>();
        services.AddSingleton<MessageStore>();
        services.AddSingleton<OutboxStore>();
        services.AddSingleton<TemplateStore>();
        services.AddSingleton<PolicyStore>();
        services.AddSingleton<ConsumerChoices>();
        services.AddSingleton<ConsumerRights>();
        services.AddSingleton<ConsumerDevices>();
        services.AddSingleton<IdempotencyStore>();
        services.AddSingleton<AuditLog>();
        services.AddSingleton<BusinessReports>();
        services.AddSingleton<InboxStore>();
        services.AddSingleton<CampaignStore>();
        return services;
    }
}
