using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace ModelPerformance.Grains.Training;

public static class TrainingServiceCollectionExtensions
{
    /// <summary>The training job history: PostgreSQL for a cluster member, memory for a lone silo (as <c>AddMonitorHistory</c> chooses).</summary>
    public static IServiceCollection AddTrainingJobs(this IServiceCollection services, bool usePostgres)
    {
        services.AddOptions<TrainingOptions>().BindConfiguration(TrainingOptions.Section);
        services.AddSingleton<TrainerClient>();
        if (usePostgres)
        {
            services.AddSingleton<ITrainingJobStore>(sp => new PostgresTrainingJobStore(sp.GetRequiredService<NpgsqlDataSource>()));
        }
        else
        {
            services.AddSingleton<ITrainingJobStore, InMemoryTrainingJobStore>();
        }
        return services;
    }
}
