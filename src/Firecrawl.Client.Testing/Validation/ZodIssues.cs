using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Firecrawl.Client.Testing;

/// <summary>
/// The issue list of the server's validator (zod 3), written as the server writes it into <c>details</c>: each issue's
/// keys in zod's order, and its default messages. A 400 from a create endpoint is
/// <c>{"success":false,"code":"BAD_REQUEST","error":"Bad Request","details":[...]}</c>.
/// </summary>
internal sealed class ZodIssues
{
    private readonly List<string> _issues = [];

    public int Count => _issues.Count;

    /// <summary>Whether an issue made the value unusable (a wrong type), which stops the checks that would read it.</summary>
    public bool Aborted { get; private set; }

    /// <summary>A value of the wrong type; zod says "Required" when there is none.</summary>
    public void InvalidType(string expected, JsonElement? value, IReadOnlyList<object> path)
    {
        string received = TypeOf(value);
        string message = received == "undefined" ? "Required" : $"Expected {expected}, received {received}";
        _issues.Add($"{{\"code\":\"invalid_type\",\"expected\":{Express.Quote(expected)},\"received\":{Express.Quote(received)},\"path\":{Path(path)},\"message\":{Express.Quote(message)}}}");
        Aborted = true;
    }

    /// <summary>A string check that failed (<c>.url()</c>, <c>.regex()</c>).</summary>
    public void InvalidString(string validation, string message, IReadOnlyList<object> path) =>
        _issues.Add($"{{\"validation\":{Express.Quote(validation)},\"code\":\"invalid_string\",\"message\":{Express.Quote(message)},\"path\":{Path(path)}}}");

    /// <summary>A <c>.refine()</c> that returned false.</summary>
    public void Custom(string message, IReadOnlyList<object> path) =>
        _issues.Add($"{{\"code\":\"custom\",\"message\":{Express.Quote(message)},\"path\":{Path(path)}}}");

    /// <summary>Keys a <c>.strict()</c> object does not know.</summary>
    public void UnrecognizedKeys(IReadOnlyList<string> keys, string message, IReadOnlyList<object> path) =>
        _issues.Add($"{{\"code\":\"unrecognized_keys\",\"keys\":[{string.Join(",", keys.Select(Express.Quote))}],\"path\":{Path(path)},\"message\":{Express.Quote(message)}}}");

    /// <summary>The 400 body the server's error handler writes for these issues.</summary>
    public string Body() =>
        $"{{\"success\":false,\"code\":\"BAD_REQUEST\",\"error\":\"Bad Request\",\"details\":[{string.Join(",", _issues)}]}}";

    /// <summary>zod's name for the type of a value: <c>undefined</c> when it is missing.</summary>
    public static string TypeOf(JsonElement? value) => value?.ValueKind switch
    {
        null or JsonValueKind.Undefined => "undefined",
        JsonValueKind.String => "string",
        JsonValueKind.Number => "number",
        JsonValueKind.True or JsonValueKind.False => "boolean",
        JsonValueKind.Null => "null",
        JsonValueKind.Array => "array",
        _ => "object",
    };

    private static string Path(IReadOnlyList<object> path)
    {
        var json = new StringBuilder("[");
        for (int i = 0; i < path.Count; i++)
        {
            json.Append(i == 0 ? string.Empty : ",");
            json.Append(path[i] is int index ? index.ToString(CultureInfo.InvariantCulture) : Express.Quote((string)path[i]));
        }

        return json.Append(']').ToString();
    }
}
