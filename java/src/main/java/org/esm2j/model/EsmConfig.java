package org.esm2j.model;

import org.esm2j.Esm2jException;
import org.esm2j.tokens.Alphabet;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * The shape of an ESM-2 checkpoint, read from the model hub's {@code config.json}
 * (as transformers 4.x and 5.x write it; 5.x writes {@code dtype} where 4.x wrote {@code torch_dtype}).
 *
 * @param numLayers        transformer layers (6 for 8M … 48 for 15B)
 * @param hiddenSize       embedding width E
 * @param numHeads         attention heads; head_dim = E / heads
 * @param intermediateSize FFN width (4E in every published ESM-2)
 * @param vocabSize        33
 * @param layerNormEps     1e-5
 * @param tokenDropout     scale embeddings by 0.88 / (1 - masked fraction), as ESM-2 was trained
 * @param maskTokenId      32
 * @param padTokenId       1
 * @param maxPositions     informational only: rotary positions have no hard limit
 * @param storedDtype      the dtype the checkpoint says it was saved in (informational)
 */
public record EsmConfig(int numLayers, int hiddenSize, int numHeads, int intermediateSize, int vocabSize,
                        double layerNormEps, boolean tokenDropout, int maskTokenId, int padTokenId,
                        int maxPositions, String storedDtype) {

    private static final ObjectMapper JSON = new ObjectMapper();

    public EsmConfig {
        if (numLayers <= 0 || hiddenSize <= 0 || numHeads <= 0 || intermediateSize <= 0 || vocabSize <= 0) {
            throw Esm2jException.badModel("config: layers, hidden size, heads, intermediate size and vocabulary must be positive");
        }
        if (hiddenSize % numHeads != 0) {
            throw Esm2jException.badModel("config: hidden_size " + hiddenSize + " is not divisible by num_attention_heads " + numHeads);
        }
        if ((hiddenSize / numHeads) % 2 != 0) {
            throw Esm2jException.badModel("config: head size " + hiddenSize / numHeads + " is odd; rotary embeddings need an even head size");
        }
    }

    public int headDim() {
        return hiddenSize / numHeads;
    }

    /** Approximate parameter count, for logs and FLOP estimates. */
    public long parameterCount() {
        long e = hiddenSize;
        long perLayer = 4 * e * e + 4 * e + 2 * e * intermediateSize + intermediateSize + e + 4 * e;
        return numLayers * perLayer + (long) vocabSize * e + e * e + 4 * e + vocabSize;
    }

    public static EsmConfig read(Path configJson) {
        JsonNode root;
        try {
            root = JSON.readTree(Files.readString(configJson));
        } catch (NoSuchFileException e) {
            throw Esm2jException.badModel(configJson + ": not found; a model directory needs config.json and model.safetensors");
        } catch (java.nio.charset.CharacterCodingException e) {
            throw Esm2jException.badModel(configJson + ": not UTF-8 JSON text (a binary file?); config.json must be the model's"
                    + " JSON configuration, as the hub serves it");
        } catch (IOException e) {
            throw Esm2jException.badModel(configJson + ": cannot read: " + e.getMessage(), e);
        } catch (JacksonException e) {
            throw Esm2jException.badModel(configJson + ": not valid JSON (" + e.getOriginalMessage() + ")");
        }
        return fromJson(root, configJson.toString());
    }

    static EsmConfig fromJson(JsonNode root, String where) {
        if (root == null || !root.isObject()) {
            throw Esm2jException.badModel(where + ": not a JSON object");
        }
        String modelType = text(root, "model_type", null);
        if (modelType == null) {
            throw Esm2jException.badModel(where + ": no model_type; esm2j reads ESM-2 checkpoints (model_type \"esm\")");
        }
        if (!modelType.equals("esm")) {
            throw Esm2jException.badModel(where + ": model_type is \"" + modelType + "\", not \"esm\"; esm2j runs ESM-2 checkpoints only");
        }
        if (root.path("is_folding_model").asBoolean(false)) {
            throw Esm2jException.badModel(where + ": this is an ESMFold checkpoint; esm2j runs ESM-2 language models");
        }
        String position = text(root, "position_embedding_type", "absolute");
        if (!position.equals("rotary")) {
            throw Esm2jException.badModel(where + ": position_embedding_type is \"" + position
                    + "\"; ESM-2 uses \"rotary\" (ESM-1b style absolute positions are not supported)");
        }
        if (root.path("emb_layer_norm_before").asBoolean(false)) {
            throw Esm2jException.badModel(where + ": emb_layer_norm_before is true, which is ESM-1b, not ESM-2");
        }
        String act = text(root, "hidden_act", "gelu");
        if (!act.equals("gelu")) {
            throw Esm2jException.badModel(where + ": hidden_act is \"" + act + "\"; ESM-2 uses erf \"gelu\"");
        }
        if (root.has("vocab_size") && root.get("vocab_size").asInt() != Alphabet.SIZE) {
            // Both backends size logits and the embedding lookup by the ESM-2 alphabet the tokenizer produces.
            throw Esm2jException.badModel(where + ": vocab_size is " + root.get("vocab_size").asInt() + "; ESM-2's alphabet has "
                    + Alphabet.SIZE + " tokens and esm2j's tokenizer produces exactly those");
        }
        String dtype = text(root, "torch_dtype", text(root, "dtype", "float32"));
        return new EsmConfig(
                integer(root, "num_hidden_layers", where),
                integer(root, "hidden_size", where),
                integer(root, "num_attention_heads", where),
                integer(root, "intermediate_size", where),
                root.has("vocab_size") ? integer(root, "vocab_size", where) : 33,
                root.path("layer_norm_eps").asDouble(1e-5),
                root.path("token_dropout").asBoolean(true),
                root.path("mask_token_id").asInt(32),
                root.path("pad_token_id").asInt(1),
                root.path("max_position_embeddings").asInt(1026),
                dtype);
    }

    private static String text(JsonNode root, String key, String fallback) {
        JsonNode n = root.get(key);
        return n == null || n.isNull() ? fallback : n.asString();
    }

    private static int integer(JsonNode root, String key, String where) {
        JsonNode n = root.get(key);
        if (n == null || !n.isIntegralNumber() || !n.canConvertToInt()) {
            throw Esm2jException.badModel(where + ": \"" + key + "\" is missing or not an integer");
        }
        return n.asInt();
    }
}
