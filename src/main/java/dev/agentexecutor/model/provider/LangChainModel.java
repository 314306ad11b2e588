package dev.agentexecutor.model.provider;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentexecutor.core.state.Usage;
import dev.agentexecutor.model.ModelRequest;
import dev.agentexecutor.model.ModelResponse;
import dev.agentexecutor.model.TokenListener;
import dev.langchain4j.model.anthropic.AnthropicTokenUsage;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ResponseFormat;
import dev.langchain4j.model.chat.request.ResponseFormatType;
import dev.langchain4j.model.chat.request.json.JsonSchema;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.openai.OpenAiTokenUsage;
import dev.langchain4j.model.output.TokenUsage;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * One configured LangChain4j streaming model (OpenAI or Anthropic) behind our request and response
 * types. A call makes exactly one attempt and lets failures through untouched for {@link
 * RetryPolicy} to judge.
 *
 * @param target how messages name it, e.g. {@code openai (gpt-4o-mini)}
 * @param cachesConversation marks the latest turns for prompt caching (Anthropic's breakpoints)
 */
record LangChainModel(StreamingChatModel model, String target, boolean cachesConversation) {

  ModelResponse chat(ModelRequest request, TokenListener tokens) throws Exception {
    Set<Integer> breakpoints =
        cachesConversation
            ? MessageConverter.conversationBreakpoints(request.messages())
            : Set.of();
    ChatRequest.Builder chatRequest =
        ChatRequest.builder()
            .messages(MessageConverter.toLangChain(request.messages(), breakpoints))
            .toolSpecifications(ToolSpecConverter.toSpecifications(request.tools()));
    if (request.responseFormat() != null)
      chatRequest.responseFormat(responseFormat(request.responseFormat()));
    return chat(chatRequest.build(), tokens);
  }

  /**
   * The provider's native structured output: OpenAI's {@code response_format} json_schema (strict
   * when the schema allows it, see {@link StrictSchemas}), Anthropic's {@code output_config}
   * format.
   */
  static ResponseFormat responseFormat(ObjectNode schema) {
    return ResponseFormat.builder()
        .type(ResponseFormatType.JSON)
        .jsonSchema(
            JsonSchema.builder()
                .name(SCHEMA_NAME)
                .rootElement(ToolSpecConverter.objectSchema(schema))
                .build())
        .build();
  }

  /** The name the providers get for a node's answer schema. */
  static final String SCHEMA_NAME = "structured_response";

  private ModelResponse chat(ChatRequest chatRequest, TokenListener tokens) throws Exception {
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

  /**
   * Our usage: input counts every input token. OpenAI's prompt_tokens already include the cached
   * ones (cached_tokens read); Anthropic's input_tokens leave out the tokens read from and written
   * to the cache, which are added here.
   */
  static Usage usage(TokenUsage usage) {
    if (usage == null) return Usage.ZERO;
    long input = orZero(usage.inputTokenCount());
    long output = orZero(usage.outputTokenCount());
    if (usage instanceof AnthropicTokenUsage anthropic) {
      long read = orZero(anthropic.cacheReadInputTokens());
      long written = orZero(anthropic.cacheCreationInputTokens());
      return new Usage(input + read + written, output, read, written);
    }
    if (usage instanceof OpenAiTokenUsage openAi && openAi.inputTokensDetails() != null) {
      return new Usage(input, output, orZero(openAi.inputTokensDetails().cachedTokens()), 0);
    }
    return new Usage(input, output);
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
