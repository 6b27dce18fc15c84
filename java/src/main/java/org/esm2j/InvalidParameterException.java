package org.esm2j;

import java.util.function.Function;

/**
 * A parameter the caller chose is not acceptable: a user's mistake, not a bug of esm2j.
 *
 * <p>The message speaks of the library's parameters: "kinds: unknown output 'x'", or, where the detail names the
 * parameter itself, "layers 40 is out of range: …". Parameters are written {@code {name}} in the detail, by their
 * library name ("{layers} 40 is out of range", "use {dtype} fp16"), so that the command line can
 * {@linkplain #render render} each as its flag ("--repr-layers 40 is out of range", "use --dtype fp16").
 * It is an {@link IllegalArgumentException}, as Java code expects of a bad argument.
 */
public class InvalidParameterException extends IllegalArgumentException {
    private final Parameter parameter;
    private final String detail;

    /**
     * @param parameter the parameter at fault
     * @param detail    what is wrong and what to do, each parameter written {@code {name}}; when it does not name
     *                  {@code parameter}, the message starts with "name: "
     */
    public InvalidParameterException(Parameter parameter, String detail) {
        super(render(parameter, detail, Parameter::libraryName));
        this.parameter = parameter;
        this.detail = detail;
    }

    public Parameter parameter() {
        return parameter;
    }

    /** The message with every parameter written by {@code name} (for example as its command-line flag). */
    public String render(Function<Parameter, String> name) {
        return render(parameter, detail, name);
    }

    private static String render(Parameter parameter, String detail, Function<Parameter, String> name) {
        String text = Parameter.render(detail, name);
        return detail.contains("{" + parameter.libraryName() + "}") ? text : name.apply(parameter) + ": " + text;
    }
}
