using Qlib.Tracked.Tool;

return Cli.Run(args, Console.Out, Console.Error);
