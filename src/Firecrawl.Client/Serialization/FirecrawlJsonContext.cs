using System.Text.Json.Serialization;

namespace Firecrawl.Client;

/// <summary>
/// Source-generated metadata for Refit's settings, so Refit stays trimmable and AOT-clean. The client itself reads its
/// bodies with <see cref="System.Text.Json.Utf8JsonReader"/> and serializes nothing; the one type listed keeps the
/// context valid.
/// </summary>
[JsonSourceGenerationOptions(GenerationMode = JsonSourceGenerationMode.Metadata)]
[JsonSerializable(typeof(string))]
internal sealed partial class FirecrawlJsonContext : JsonSerializerContext;
