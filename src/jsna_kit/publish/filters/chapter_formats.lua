--[[
The fallback renderer's conversions of one chapter, in one pandoc process (`pandoc lua`).

jsna-kit's fallback (publish/render.py) used to run pandoc four times a chapter: the markdown to
pandoc's JSON with citations resolved, then that JSON to HTML, to Word and to typst. Each of the
last three read the whole document back; here it is read and its citations resolved once, and the
three writers run on the document in memory. The options are the ones the command line was given.

Argument: a JSON file naming the inputs and outputs:
  markdown, bibliography, csl (the citation style), html, docx, typst (outputs: any may be absent), html_template, css,
  typst_header, typst_metadata (a YAML file of the PDF's page), docx_filter, other_formats (the
  page's links to the chapter's other files: a list of {label, href}).
Writes the outputs, and on standard output the CPU seconds of each step as JSON.
The HTML is written with its figures and stylesheet linked: jsna-kit embeds them afterwards
(pandoc's --embed-resources is an option of the command line, not of pandoc.write).
]]

local function slurp(path)
  local f = assert(io.open(path, "rb"))
  local text = f:read("a")
  f:close()
  return text
end

local function spit(path, text)
  local f = assert(io.open(path, "wb"))
  f:write(text)
  f:close()
end

local job = pandoc.json.decode(slurp(arg[1]), false)
local seconds = {}
local started = os.clock()
local function step(name)
  local now = os.clock()
  seconds[name] = now - started
  started = now
end

-- markdown-smart: names from data files are shown exactly as given (no curly-quote rewriting).
local doc = pandoc.read(slurp(job.markdown), "markdown-smart")
doc.meta.bibliography = pandoc.MetaInlines({ pandoc.Str(job.bibliography) })
if job.csl then
  doc.meta.csl = pandoc.MetaInlines({ pandoc.Str(job.csl) })
end
-- the chapter's own language (a Welsh chapter says "cy" in its front matter), else British English
if not doc.meta.lang then
  doc.meta.lang = "en-GB"
end
doc.meta["link-citations"] = true
doc = pandoc.utils.citeproc(doc)
doc.meta.bibliography = nil -- a temporary file's path: not a property of the Word file
doc.meta.csl = nil
step("citations")

if job.html then
  local template = pandoc.template.compile(slurp(job.html_template), job.html_template)
  spit(job.html, pandoc.write(doc, "html5", {
    template = template,
    table_of_contents = true,
    toc_depth = 2,
    section_divs = true,
    variables = {
      css = job.css and pandoc.List({ job.css }) or nil,
      -- links to the chapter's PDF and Word files, as Quarto's page has ("PDF", "Word")
      ["other-formats"] = job.other_formats,
    },
  }))
  step("html")
end

-- Word and PDF: the chapter's sections are the document's top-level headings (Heading 1; PDF/UA-1
-- requires the first heading to be of level 1); the web page keeps <h1> for its title.
local function sections_first(document)
  return document:walk({
    Header = function(h)
      h.level = math.max(1, h.level - 1)
      return h
    end,
  })
end

if job.docx then
  -- The Word filter (filters/docx_png.lua) points each SVG figure at its PNG copy.
  FORMAT = "docx"
  dofile(job.docx_filter)
  local filter = { Image = Image }
  spit(job.docx, pandoc.write(sections_first(doc):walk(filter), "docx", { table_of_contents = true }))
  step("docx")
end

-- A typst string literal.
local function typst_string(text)
  return '"' .. text:gsub("\\", "\\\\"):gsub('"', '\\"'):gsub("\n", " ") .. '"'
end

-- Each figure's alt text (its fig-alt, as on the web page; else its caption), by image path:
-- pandoc's typst writer gives an image none, and PDF/UA-1 requires it. It is added to the typst
-- source pandoc writes, so that figures keep pandoc's own layout.
local function alt_texts(document)
  local alts = {}
  document:walk({
    Image = function(img)
      alts[img.src] = img.attributes["fig-alt"] or pandoc.utils.stringify(img.caption)
    end,
  })
  return alts
end

local function with_alt(typst_source, alts)
  -- pandoc writes a figure's image as `#figure(image("path", width: 70%)` and an inline one as
  -- `#box(image("path"...))`: only those calls, never text that happens to read "image(".
  return (typst_source:gsub('(#[a-z]+%()image%("([^"]+)"([^)]*)%)', function(call, src, rest)
    if alts[src] == nil or rest:match("alt:") then
      return nil
    end
    return call .. "image(" .. typst_string(src) .. rest .. ", alt: " .. typst_string(alts[src]) .. ")"
  end))
end

if job.typst then
  local typ = sections_first(doc:clone())
  -- The page (margins), as the command line's --metadata-file gave it (templates/typst-page.yaml).
  local page = pandoc.read("---\n" .. slurp(job.typst_metadata) .. "\n---\n", "markdown").meta
  for key, value in pairs(page) do
    typ.meta[key] = value
  end
  -- typst-citations: keep citeproc's citations and references, as in HTML and Word, rather than
  -- typst's own (it would format them differently). -smart: write quotation marks as the
  -- characters citeproc gave, not as straight ones for typst to guess again (it took the closing
  -- mark after ")" or a digit for an opening one: "(Written Answer)‘", "2023′").
  spit(job.typst, with_alt(pandoc.write(typ, "typst-citations-smart", {
    template = pandoc.template.default("typst"),
    variables = { papersize = "a4", ["page-numbering"] = "1", ["header-includes"] = job.typst_header },
  }), alt_texts(typ)))
  step("typst source")
end

io.write(pandoc.json.encode(seconds))
