using Microsoft.Extensions.Options;

namespace Firecrawl.Client;

/// <summary>Runs the same checks as the plain constructors, so a bad setting fails at start-up, not on the first call.</summary>
internal sealed class FirecrawlClientOptionsValidator : IValidateOptions<FirecrawlClientOptions>
{
    public ValidateOptionsResult Validate(string? name, FirecrawlClientOptions options)
    {
        List<string> errors = OptionChecks.Validate(options, environment: null, out _, out _);
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
