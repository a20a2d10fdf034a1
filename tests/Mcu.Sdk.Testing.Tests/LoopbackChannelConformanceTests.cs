using Mcu.Sdk.Channels;
using Mcu.Sdk.Testing.Conformance;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Mcu.Sdk.Testing.Tests;

/// <summary>The in-memory loopback channel passes the channel adapter conformance suite.</summary>
public sealed class LoopbackChannelConformanceTests : ChannelAdapterConformanceTests
{
    protected override ChannelAdapterDriver CreateDriver() => new LoopbackDriver();

    /// <summary>Drives a <see cref="LoopbackChannel"/>: intake through its poller and the SDK's polling service, faults through a wrapper.</summary>
    private sealed class LoopbackDriver : ChannelAdapterDriver
    {
        private readonly LoopbackChannel _channel = new();
        private readonly FaultInjectingReplySender _sender;

        public LoopbackDriver() => _sender = new FaultInjectingReplySender(_channel);

        public override ChannelId Channel => _channel.Channel;

        public override IReadOnlyList<ChannelDelivery> Deliveries =>
            _channel.Delivered.Select(d => new ChannelDelivery(d.Message.Address.ConversationId, d.Message.Address.ThreadId, d.Message.Address.ReplyToMessageId, d.Message.Text)).ToArray();

        public override int SendAttempts => _sender.Attempts;

        public override void AddAdapter(IMcuBuilder mcu) => mcu.AddReplySender(_sender).AddPoller(_channel);

        public override async ValueTask<InboundProbe> InjectAsync(IServiceProvider services, InboundSpec spec, CancellationToken cancellationToken = default)
        {
            var conversation = $"c{spec.Conversation}";
            var thread = spec.InThread ? "t1" : null;
            var id = $"m{spec.MessageNumber}";
            var now = services.GetRequiredService<TimeProvider>().GetUtcNow();
            _channel.Enqueue(new InboundMessage(_channel.Channel, id, conversation, new Author("u" + spec.Conversation, "Мария"), spec.Text, now)
            {
                ReplyAddress = new ReplyAddress(_channel.Channel, conversation, thread, id),
            });
            var polling = services.GetServices<IHostedService>().OfType<ChannelPollingService>().Single();
            await polling.PollOnceAsync(_channel, cancellationToken);
            return new InboundProbe(conversation, thread, id);
        }

        public override void InjectFault(ChannelFault fault, int count = 1) => _sender.InjectFault(fault, count);
    }
}
