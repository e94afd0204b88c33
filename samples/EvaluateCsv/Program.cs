// Usage: dotnet run --project samples/EvaluateCsv -- --panel FILE [--report FILE] | --backtest DIR  [--out DIR] [--uri STORE] [--experiment NAME]
return EvaluateCsv.EvaluateCsvCommand.Run(args, Console.Out, Console.Error);
