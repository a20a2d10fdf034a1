using System.Globalization;
using System.Text;

namespace Mcu.Sdk.Storage.Sqlite.Internal;

/// <summary>Translates an <see cref="AppealQuery"/> into index-backed SQL over the appeal columns.</summary>
/// <remarks>
/// Every filter is a column: receipt time (<c>ix_appeals_received</c>), open appeals (the partial index <c>ix_appeals_open</c>
/// that the SLA monitor's load reads), unit (<c>ix_appeals_unit</c>), channel and conversation (<c>ix_appeals_conversation</c>),
/// channel and author (<c>ix_appeals_conversation</c> for an author who is the conversation, <c>ix_appeals_author</c> for the others).
/// The SQL text depends only on which filters are set, so each shape is prepared once per connection.
/// </remarks>
internal static class AppealQuerySql
{
    /// <summary>Builds the SQL, its parameter names and values.</summary>
    /// <param name="query">The query.</param>
    /// <returns>The SQL text, the parameter names and their values, in the same order.</returns>
    public static (string Sql, string[] Names, object[] Values) Build(AppealQuery query)
    {
        var sql = new StringBuilder("SELECT d.document FROM appeals a JOIN appeal_documents d ON d.seq = a.seq WHERE 1 = 1");
        var names = new List<string>(8);
        var values = new List<object>(8);
        void Add(string condition, string name, object value)
        {
            sql.Append(" AND ").Append(condition);
            names.Add(name);
            values.Add(value);
        }

        if (query.ReceivedFrom is { } from)
        {
            Add("a.received_at >= $from", "$from", Columns.Time(from));
        }

        if (query.ReceivedTo is { } to)
        {
            Add("a.received_at < $to", "$to", Columns.Time(to));
        }

        if (query.OpenOnly)
        {
            sql.Append(" AND a.is_open = 1");
        }

        if (query.Statuses is { } statuses)
        {
            var distinct = statuses.Distinct().Order().ToArray();
            if (distinct.Length == 0)
            {
                sql.Append(" AND 0");
            }
            else
            {
                sql.Append(" AND a.status IN (");
                for (var i = 0; i < distinct.Length; i++)
                {
                    var name = string.Create(CultureInfo.InvariantCulture, $"$s{i}");
                    sql.Append(i == 0 ? string.Empty : ", ").Append(name);
                    names.Add(name);
                    values.Add((int)distinct[i]);
                }

                sql.Append(')');
            }
        }

        if (query.UnitId is { } unit)
        {
            Add("a.unit_id = $unit", "$unit", unit);
        }

        if (query.Channel is { } channel && query.AuthorId is { } channelAuthor)
        {
            // ix_appeals_author holds only the authors who are not their conversation (a group chat, a comment thread); an
            // author who is the conversation (a private chat) is found in ix_appeals_conversation. The two searches are
            // disjoint, and each row they return has this channel and author.
            Add(
                "a.seq IN (SELECT seq FROM appeals WHERE channel = $channel AND conversation_key = $author AND author_id = $author "
                + "UNION ALL SELECT seq FROM appeals WHERE channel = $channel AND author_id = $author AND author_id <> conversation_key)",
                "$channel",
                channel.Value);
            names.Add("$author");
            values.Add(channelAuthor);
        }
        else if (query.Channel is { } channelOnly)
        {
            Add("a.channel = $channel", "$channel", channelOnly.Value);
        }
        else if (query.AuthorId is { } author)
        {
            Add("a.author_id = $author", "$author", author);
        }

        if (query.ConversationKey is { } conversation)
        {
            Add("a.conversation_key = $conversation", "$conversation", conversation);
        }

        sql.Append(" ORDER BY a.received_at, a.number");
        return (sql.ToString(), [.. names], [.. values]);
    }
}
