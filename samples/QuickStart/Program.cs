// Usage: dotnet run --project samples/QuickStart [-- --uri DIR|file:URI] [--experiment NAME] [--seed N] [--instruments N] [--days N]
return QuickStart.QuickStartCommand.Run(args, Console.Out, Console.Error);
