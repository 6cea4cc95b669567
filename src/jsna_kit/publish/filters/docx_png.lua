--[[
Word output: use the PNG copy of each SVG figure.

jsna-kit draws a chapter's figures as SVG and, before Word output is made, writes a PNG copy
beside each one (jsna_kit.publish.rasterise): Word before Microsoft 365 cannot show SVG, and pandoc
adds a PNG fallback only when rsvg-convert is installed. Other formats keep the SVG. Used by the
Quarto project (_quarto.yml) and by jsna-kit's pandoc fallback renderer alike.
]]

local function exists(path)
  local f = io.open(path, "rb")
  if f then
    f:close()
    return true
  end
  return false
end

local function folders()
  local dirs = { "." }
  for _, d in ipairs(PANDOC_STATE.resource_path or {}) do
    table.insert(dirs, d)
  end
  for _, f in ipairs(PANDOC_STATE.input_files or {}) do
    table.insert(dirs, pandoc.path.directory(f))
  end
  if quarto and quarto.doc and quarto.doc.input_file then
    table.insert(dirs, pandoc.path.directory(quarto.doc.input_file))
  end
  return dirs
end

function Image(img)
  if not FORMAT:match("docx") or not img.src:match("%.svg$") then
    return nil
  end
  local png = (img.src:gsub("%.svg$", ".png"))
  for _, dir in ipairs(folders()) do
    if exists(pandoc.path.join({ dir, png })) then
      img.src = png
      return img
    end
  end
  return nil
end
