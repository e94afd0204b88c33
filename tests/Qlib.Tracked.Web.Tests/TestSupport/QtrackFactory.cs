using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Qlib.Tracked.Web.Tests;

/// <summary>
/// The app through its real entry point (<see cref="Program"/>): the settings become <c>--store=…</c> and
/// <c>--allow-writes=…</c> arguments of Main, as WebApplicationFactory passes host settings.
/// </summary>
public sealed class QtrackFactory(string storePath, bool allowWrites = false, string? artifactRoot = null) : WebApplicationFactory<Program>
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("store", storePath);
        builder.UseSetting("allow-writes", allowWrites ? "true" : "false");
        if (artifactRoot is not null) builder.UseSetting("artifact-root", artifactRoot);
    }
}

/// <summary>One API answer: status, raw body (for leak checks) and parsed JSON.</summary>
public sealed record ApiAnswer(int Status, string Body, JsonElement Json)
{
    public string Error => Json.GetProperty("error_code").GetString()!;
    public string Message => Json.GetProperty("message").GetString()!;
}

public static class HttpClientExtensions
{
    public static async Task<ApiAnswer> GetApiAsync(this HttpClient client, string url)
    {
        using var response = await client.GetAsync(url);
        var body = await response.Content.ReadAsStringAsync();
        Assert.StartsWith("application/json", response.Content.Headers.ContentType?.ToString() ?? "");
        return new ApiAnswer((int)response.StatusCode, body, JsonDocument.Parse(body).RootElement.Clone());
    }

    public static async Task<ApiAnswer> PostApiAsync(this HttpClient client, string url, string json = "{}", string contentType = "application/json")
    {
        using var content = new StringContent(json, System.Text.Encoding.UTF8, contentType);
        using var response = await client.PostAsync(url, content);
        var body = await response.Content.ReadAsStringAsync();
        return new ApiAnswer((int)response.StatusCode, body, body.Length == 0 ? default : JsonDocument.Parse(body).RootElement.Clone());
    }

    public static IEnumerable<string> Strings(this JsonElement array) => array.EnumerateArray().Select(e => e.GetString()!);
}
