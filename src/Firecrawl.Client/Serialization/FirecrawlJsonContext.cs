using System.Text.Json.Serialization;

namespace Firecrawl.Client;

/// <summary>Source-generated metadata, so parsing needs no reflection and stays trimmable and AOT-clean.</summary>
[JsonSourceGenerationOptions(GenerationMode = JsonSourceGenerationMode.Metadata)]
[JsonSerializable(typeof(CancelResponseBody))]
internal sealed partial class FirecrawlJsonContext : JsonSerializerContext;
