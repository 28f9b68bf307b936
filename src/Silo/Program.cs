using ModelPerformance.Silo.Hosting;

if (args is ["migrate", ..])
{
    return await MigrateCommand.RunAsync(args[1..]);
}

var builder = WebApplication.CreateBuilder(args);
builder.AddModelPerformanceSilo();
builder.Services.AddModelPerformanceHealthChecks();

var app = builder.Build();
app.MapModelPerformanceEndpoints();
await app.RunAsync();
return 0;
