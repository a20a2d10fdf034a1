using System.Globalization;
using System.Text;
using Mcu.Sdk.Internal;
using Microsoft.Extensions.Options;

namespace Mcu.Sdk.Replies;

/// <summary>Renders the texts the citizen receives.</summary>
/// <remarks>Implementations must be safe for concurrent use.</remarks>
public interface IReplyTemplates
{
    /// <summary>Renders a reply.</summary>
    /// <param name="kind">The kind of reply.</param>
    /// <param name="appeal">The appeal it answers.</param>
    /// <param name="unitName">The responsible unit's name, or <see langword="null"/>.</param>
    /// <param name="body">The unit's own text for answers and clarifications, or <see langword="null"/>.</param>
    /// <returns>The text to send.</returns>
    string Render(ReplyKind kind, Appeal appeal, string? unitName, string? body);
}

/// <summary>
/// Reply templates, bindable from the <c>Mcu:Templates</c> configuration section. Placeholders: <c>{number}</c>,
/// <c>{name}</c> (a greeting name, or empty), <c>{unit}</c>, <c>{text}</c> (the unit's text).
/// </summary>
public sealed class ReplyTemplateOptions
{
    /// <summary>Gets or sets the acknowledgement with the appeal number.</summary>
    public string Acknowledgement { get; set; } =
        "Здравствуйте{name}! Ваше обращение зарегистрировано под номером {number} и передано в {unit}. Ответ придёт сюда же.";

    /// <summary>Gets or sets the acknowledgement of an urgent appeal.</summary>
    public string UrgentAcknowledgement { get; set; } =
        "Здравствуйте{name}! Ваше обращение № {number} принято как срочное и немедленно передано в {unit}. Если есть угроза жизни, звоните 112.";

    /// <summary>Gets or sets the polite refusal for an out-of-scope request.</summary>
    public string Refusal { get; set; } =
        "Здравствуйте{name}! Спасибо, что написали. К сожалению, этот вопрос не относится к компетенции администрации, и мы не можем помочь с ним. Если у вас есть проблема в городе — сообщите, и мы передадим её ответственным.";

    /// <summary>Gets or sets the wrapper of an interim answer.</summary>
    public string Interim { get; set; } = "Промежуточный ответ по обращению № {number}:\n{text}";

    /// <summary>Gets or sets the wrapper of a final answer.</summary>
    public string Final { get; set; } = "Ответ по обращению № {number}:\n{text}";

    /// <summary>Gets or sets the wrapper of a request for clarification.</summary>
    public string Clarification { get; set; } = "Уточнение по обращению № {number}:\n{text}\nПожалуйста, ответьте в этом же чате.";

    /// <summary>Gets or sets the wrapper of any other notice.</summary>
    public string Notice { get; set; } = "По обращению № {number}:\n{text}";
}

/// <summary>The default templates: <see cref="ReplyTemplateOptions"/> with simple placeholder substitution.</summary>
public sealed class DefaultReplyTemplates : IReplyTemplates
{
    private readonly ReplyTemplateOptions _options;

    /// <summary>Initializes a new instance of the <see cref="DefaultReplyTemplates"/> class.</summary>
    /// <param name="options">The templates.</param>
    public DefaultReplyTemplates(IOptions<ReplyTemplateOptions> options) => _options = Throw.IfNull(options).Value;

    /// <inheritdoc/>
    public string Render(ReplyKind kind, Appeal appeal, string? unitName, string? body)
    {
        Throw.IfNull(appeal);
        var template = kind switch
        {
            ReplyKind.Acknowledgement => appeal.Priority == AppealPriority.Urgent ? _options.UrgentAcknowledgement : _options.Acknowledgement,
            ReplyKind.Refusal => _options.Refusal,
            ReplyKind.Interim => _options.Interim,
            ReplyKind.Final => _options.Final,
            ReplyKind.Clarification => _options.Clarification,
            _ => _options.Notice,
        };

        var name = appeal.Author.DisplayName is { Length: > 0 } displayName ? FirstName(displayName) : null;
        return Fill(template, appeal.Number, name, unitName ?? appeal.UnitId ?? "ответственное подразделение", body ?? string.Empty);
    }

    // One pass over the template: placeholders are replaced as they are met, unknown ones are kept as written.
    private static string Fill(string template, long number, string? name, string unit, string text)
    {
        var result = new System.Text.StringBuilder(template.Length + unit.Length + text.Length + 32);
        var rest = template.AsSpan();
        while (true)
        {
            var open = rest.IndexOf('{');
            if (open < 0)
            {
                result.Append(rest);
                return result.ToString();
            }

            result.Append(rest[..open]);
            rest = rest[open..];
            if (rest.StartsWith("{number}", StringComparison.Ordinal))
            {
                result.Append(CultureInfo.InvariantCulture, $"{number}");
                rest = rest["{number}".Length..];
            }
            else if (rest.StartsWith("{name}", StringComparison.Ordinal))
            {
                if (name is not null)
                {
                    result.Append(", ").Append(name);
                }

                rest = rest["{name}".Length..];
            }
            else if (rest.StartsWith("{unit}", StringComparison.Ordinal))
            {
                result.Append(unit);
                rest = rest["{unit}".Length..];
            }
            else if (rest.StartsWith("{text}", StringComparison.Ordinal))
            {
                result.Append(text);
                rest = rest["{text}".Length..];
            }
            else
            {
                result.Append('{');
                rest = rest[1..];
            }
        }
    }

    private static string FirstName(string displayName)
    {
        var trimmed = displayName.Trim();
        var space = trimmed.IndexOf(' ', StringComparison.Ordinal);
        return space > 0 ? trimmed[..space] : trimmed;
    }
}
