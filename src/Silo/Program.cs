using ModelPerformance.Silo.Hosting;

if (args is ["migrate", ..])
{
    return await MigrateCommand.RunAsync(args[1..]);
}

var app = ServiceHost.Build(args);
await app.RunAsync();
return 0;
