using System.Globalization;

namespace Qlib.Tracked.LoadGen;

/// <summary>The command line; a bad option prints what is wrong and the usage.</summary>
internal sealed record LoadGenOptions(Uri Url, string[] Workloads, int[] Clients, double Seconds, int MinOps, int WarmupOps, int Runs, int HistoryPoints, string? DataName)
{
    public static readonly string[] AllWorkloads = ["log-batch", "search", "history", "create-update"];

    private const string Usage =
        "usage: Qlib.Tracked.LoadGen --url http://HOST:PORT [--workloads log-batch,search,history,create-update] [--clients 1,8]\n" +
        "       [--seconds 10] [--min-ops 1] [--warmup 1] [--runs 1000] [--history-points 100000] [--data-name NAME]";

    public static LoadGenOptions? Parse(string[] args)
    {
        Uri? url = null;
        string[] workloads = AllWorkloads;
        int[] clients = [1, 8];
        double seconds = 10;
        int minOps = 1, warmup = 1, runs = 1_000, historyPoints = 100_000;
        string? dataName = null;
        try
        {
            for (var i = 0; i < args.Length; i++)
            {
                var name = args[i];
                if (name is "-h" or "--help") { Console.WriteLine(Usage); return null; }
                if (i + 1 >= args.Length) throw new FormatException($"option {name} needs a value");
                var value = args[++i];
                switch (name)
                {
                    case "--url":
                        if (!Uri.TryCreate(value, UriKind.Absolute, out url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
                            throw new FormatException($"--url '{value}' is not an http:// or https:// URL");
                        break;
                    case "--workloads":
                        workloads = value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                        if (workloads.FirstOrDefault(w => !AllWorkloads.Contains(w)) is { } bad)
                            throw new FormatException($"--workloads: '{bad}' is not one of {string.Join(", ", AllWorkloads)}");
                        break;
                    case "--clients": clients = value.Split(',').Select(v => Positive(name, v)).ToArray(); break;
                    case "--seconds":
                        if (!double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out seconds) || seconds <= 0)
                            throw new FormatException($"--seconds '{value}' is not a positive number");
                        break;
                    case "--min-ops": minOps = Positive(name, value); break;
                    case "--warmup": warmup = NonNegative(name, value); break;
                    case "--runs": runs = Positive(name, value); break;
                    case "--history-points": historyPoints = Positive(name, value); break;
                    case "--data-name":
                        if (value.Length == 0 || !value.All(ch => char.IsAsciiLetterOrDigit(ch) || ch is '-' or '_'))
                            throw new FormatException($"--data-name '{value}' must be letters, digits, '-' or '_'");
                        dataName = value;
                        break;
                    default: throw new FormatException($"unknown option '{name}'");
                }
            }
            if (url is null) throw new FormatException("--url is required");
        }
        catch (FormatException e)
        {
            Console.Error.WriteLine($"loadgen: {e.Message}\n{Usage}");
            return null;
        }
        return new LoadGenOptions(url, workloads, clients, seconds, minOps, warmup, runs, historyPoints, dataName);
    }

    private static int Positive(string option, string value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? n
            : throw new FormatException($"{option} '{value}' is not a positive whole number");

    private static int NonNegative(string option, string value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n
            : throw new FormatException($"{option} '{value}' is not a whole number ≥ 0");
}
