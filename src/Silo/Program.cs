using ModelPerformance.Silo.Hosting;

if (args is ["migrate", ..])
{
    return await MigrateCommand.RunAsync(args[1..]);
}

WebApplication app;
try
{
    app = ServiceHost.Build(args);
}
catch (ServiceConfigurationException e)
{
    await Console.Error.WriteLineAsync(e.Message);
    return 1;
}
await app.RunAsync();
return 0;
