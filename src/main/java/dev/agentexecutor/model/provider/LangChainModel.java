package dev.agentexecutor.model.provider;

import dev.agentexecutor.core.state.Usage;
import dev.agentexecutor.model.ModelRequest;
import dev.agentexecutor.model.ModelResponse;
import dev.agentexecutor.model.TokenListener;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.output.TokenUsage;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * One configured LangChain4j streaming model (OpenAI or Anthropic) behind our request and response
 * types. A call makes exactly one attempt and lets failures through untouched for {@link
 * RetryPolicy} to judge.
 *
 * @param target how messages name it, e.g. {@code openai (gpt-4o-mini)}
 */
record LangChainModel(StreamingChatModel model, String target) {

  ModelResponse chat(ModelRequest request, TokenListener tokens) throws Exception {
    ChatRequest chatRequest =
        ChatRequest.builder()
            .messages(MessageConverter.toLangChain(request.messages()))
            .toolSpecifications(ToolSpecConverter.toSpecifications(request.tools()))
            .build();
    CompletableFuture<ChatResponse> done = new CompletableFuture<>();
    model.chat(chatRequest, new Handler(tokens, done));
    ChatResponse response = await(done);
    ModelResponse answer =
        new ModelResponse(
            MessageConverter.fromAi(response.aiMessage()), usage(response.tokenUsage()));
    if (answer.message().content().isBlank() && answer.message().toolCalls().isEmpty()) {
      throw ModelAnswerException.empty();
    }
    return answer;
  }

  /**
   * Our HTTP client streams on the calling thread, so the stream is over when {@code chat} returns:
   * an answer neither completed nor failed by then never will be.
   */
  private static ChatResponse await(CompletableFuture<ChatResponse> done) throws Exception {
    if (!done.isDone()) throw ModelAnswerException.incomplete();
    try {
      return done.get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof Exception cause) throw cause;
      throw e;
    }
  }

  private static Usage usage(TokenUsage usage) {
    if (usage == null) return Usage.ZERO;
    return new Usage(orZero(usage.inputTokenCount()), orZero(usage.outputTokenCount()));
  }

  private static long orZero(Integer count) {
    return count == null ? 0 : count;
  }

  private record Handler(TokenListener tokens, CompletableFuture<ChatResponse> done)
      implements StreamingChatResponseHandler {
    @Override
    public void onPartialResponse(String token) {
      tokens.onToken(token);
    }

    @Override
    public void onCompleteResponse(ChatResponse response) {
      done.complete(response);
    }

    @Override
    public void onError(Throwable error) {
      done.completeExceptionally(error);
    }
  }
}
