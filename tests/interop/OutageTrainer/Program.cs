// A training loop for tests/interop/mlflow-server-outage.sh: STEPS steps, each logging KEYS metrics through R.LogMetrics
// (buffered, written by the background worker in log-batch requests) to a tracking server, one step every INTERVAL ms.
// Point (key k, step s) has the value s + k / 1000, so the checker can tell every point. The run ends with Complete(),
// which waits for every buffered point to reach the server. Prints its progress with UTC times; exit 1 if the end of the
// run reports points that did not reach the server.
//   OutageTrainer URI EXPERIMENT [STEPS=900] [KEYS=10] [INTERVAL_MS=100]
using System.Diagnostics;
using System.Globalization;
using Qlib.Tracked;

var uri = args[0];
var experiment = args[1];
var steps = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 900;
var keys = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 10;
var interval = TimeSpan.FromMilliseconds(args.Length > 4 ? int.Parse(args[4], CultureInfo.InvariantCulture) : 100);
var names = Enumerable.Range(0, keys).Select(k => $"m{k}").ToArray();
var clock = Stopwatch.StartNew();
void Say(string what) => Console.WriteLine($"[{DateTime.UtcNow:HH:mm:ss.f} +{clock.Elapsed.TotalSeconds,5:F1}s] {what}");

using var scope = R.Start(experimentName: experiment, uri: uri);
Say($"run {scope.Recorder.Id} started on {uri}");
R.LogParams(("steps", steps.ToString(CultureInfo.InvariantCulture)), ("keys", keys.ToString(CultureInfo.InvariantCulture)));
var row = new (string, double)[keys];
var longest = TimeSpan.Zero;
for (var step = 0; step < steps; step++)
{
    var call = Stopwatch.StartNew();
    for (var k = 0; k < keys; k++) row[k] = (names[k], step + k / 1000.0);
    R.LogMetrics(step, row);
    if (call.Elapsed > longest) longest = call.Elapsed;
    if (step % 100 == 0) Say($"step {step}: {step * keys:N0} points logged so far (longest R.LogMetrics call {longest.TotalMilliseconds:F1} ms)");
    Thread.Sleep(interval);
}
Say($"loop done: {steps * keys:N0} points logged; longest R.LogMetrics call {longest.TotalMilliseconds:F1} ms; ending the run (waits for the buffer)");
try
{
    var flush = Stopwatch.StartNew();
    scope.Complete();
    scope.Dispose();
    Say($"run ended FINISHED; the end waited {flush.Elapsed.TotalSeconds:F1} s for the buffer");
    return 0;
}
catch (TrackingException e)
{
    Say($"the end of the run reported: {e.Code}: {e.Message}");
    return 1;
}
