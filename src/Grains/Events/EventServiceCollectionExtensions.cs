using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace ModelPerformance.Grains.Events;

public static class EventServiceCollectionExtensions
{
    /// <summary>
    /// Events from grains to every silo's subscribers: a lone silo delivers to its own hub; cluster members
    /// go through PostgreSQL NOTIFY/LISTEN on the registered data source, since a silo's grains and another
    /// silo's WebSocket clients share nothing else that reaches plain objects (see FACTS.md).
    /// </summary>
    public static IServiceCollection AddServiceEvents(this IServiceCollection services, bool usePostgres)
    {
        services.AddSingleton<EventHub>();
        if (usePostgres)
        {
            services.AddSingleton<IEventPublisher>(sp => new PostgresEventPublisher(sp.GetRequiredService<NpgsqlDataSource>(),
                sp.GetRequiredService<ILogger<PostgresEventPublisher>>()));
            services.AddHostedService<PostgresEventListener>();
        }
        else
        {
            services.AddSingleton<IEventPublisher, InMemoryEventPublisher>();
        }
        return services;
    }
}
